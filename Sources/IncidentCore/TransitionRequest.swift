import TextSupport

/// The body of an acknowledge or resolve request: `{by?, note?}`; an empty body is allowed (both `nil`).
///
/// `by` (≤ 256 characters) and `note` (≤ 16384 characters) are trimmed; an empty or blank value counts as absent.
public struct TransitionRequest: Sendable, Equatable {
    /// Who acknowledges or resolves.
    public var by: String?
    /// A note to add to the timeline with the transition.
    public var note: String?

    /// A request from its parts; both `nil` is a plain acknowledge or resolve.
    public init(by: String? = nil, note: String? = nil) {
        self.by = by
        self.note = note
    }

    /// Parses the body; empty or whitespace-only → both `nil`.
    public static func parse(_ body: [UInt8]) throws(ValidationError) -> TransitionRequest {
        if InputDecoder.isBlank(body) { return TransitionRequest() }
        let raw = try InputDecoder.decode(Raw.self, from: body)
        let by = raw.by?.trimmingWhitespace()
        let note = raw.note?.trimmingWhitespace()
        if let by { try InputLimits.checkLength(by, field: "by", max: InputLimits.byLength) }
        if let note { try InputLimits.checkLength(note, field: "note", max: InputLimits.noteLength) }
        return TransitionRequest(by: by?.isEmpty == false ? by : nil, note: note?.isEmpty == false ? note : nil)
    }

    private struct Raw: Decodable {
        var by: String?
        var note: String?
    }
}
