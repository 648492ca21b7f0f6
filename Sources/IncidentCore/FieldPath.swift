/// Renders decoding paths the way error messages show them: `alerts[2].status`, `labels["team name"]`.
enum FieldPath {
    /// `alerts[2].status` for `[alerts, 2, status]`; keys that are not simple identifiers are quoted:
    /// `labels["a b"]`.
    static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                text += "[\(index)]"
            } else if isIdentifier(key.stringValue) {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            } else {
                text += "[\(quoted(key.stringValue))]"
            }
        }
        return text
    }

    /// A field joined to a child key: `child("alerts[0]", "labels")` is `alerts[0].labels`.
    static func child(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    /// How a message starts for a field: the field, or "the request body" for `""`.
    static func subject(_ field: String) -> String {
        field.isEmpty ? "the request body" : field
    }

    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
