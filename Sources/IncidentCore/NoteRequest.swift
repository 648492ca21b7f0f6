import TextSupport

/// The body of an add-note request: `{by, text}`, both required.
///
/// Both are trimmed; `by` must then be 1–256 characters and `text` 1–16384.
public struct NoteRequest: Sendable, Equatable {
    /// Who writes the note.
    public var by: String
    /// The note.
    public var text: String

    /// A note from its parts (no checks: ``parse(_:)`` checks).
    public init(by: String, text: String) {
        self.by = by
        self.text = text
    }

    /// Parses the body; a missing field is `.malformed`, an empty or too long one `.invalid`.
    public static func parse(_ body: [UInt8]) throws(ValidationError) -> NoteRequest {
        let raw = try InputDecoder.decode(Raw.self, from: body)
        let by = raw.by.trimmingWhitespace()
        let text = raw.text.trimmingWhitespace()
        if by.isEmpty { throw .invalid("by", "by must not be empty: name who writes the note") }
        try InputLimits.checkLength(by, field: "by", max: InputLimits.byLength)
        if text.isEmpty { throw .invalid("text", "text must not be empty") }
        try InputLimits.checkLength(text, field: "text", max: InputLimits.noteLength)
        return NoteRequest(by: by, text: text)
    }

    private struct Raw: Decodable {
        var by: String
        var text: String
    }
}
