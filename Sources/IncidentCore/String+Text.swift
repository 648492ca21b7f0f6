/// `text` in double quotes, with quotes, backslashes and control characters escaped as in JSON, and cut to
/// 64 characters (error messages must stay short when the input is huge).
func quoted(_ text: String) -> String {
    let limit = 64
    var short = String(text.unicodeScalars.prefix(limit))
    if text.unicodeScalars.count > limit { short += "…" }
    return AnyJSON.string(short).compactText
}

extension String {
    /// The length as PostgreSQL's `char_length` counts it: Unicode scalars.
    var scalarCount: Int { unicodeScalars.count }

    /// The first `limit` Unicode scalars.
    func truncated(toScalars limit: Int) -> String {
        scalarCount <= limit ? self : String(unicodeScalars.prefix(limit))
    }
}
