import TextSupport

/// An incident that a person opens by hand: `POST /incidents` with `{title, severity, description?, labels?}`.
///
/// Rules (checked while decoding, so every decoder of this type gets them):
/// - `title` is trimmed and must then be 1–500 characters;
/// - `severity` is one of critical, high, medium or low (an unknown value is `.invalid`, naming `severity`);
/// - `description` (default `""`) is at most 65536 characters;
/// - `labels` (default empty) follow the label limits of ``InputLimits``.
public struct NewIncident: Sendable, Equatable, Decodable {
    /// The title, trimmed, 1–500 characters.
    public var title: String
    /// How urgent the incident is.
    public var severity: Severity
    /// Free text, at most 65536 characters; `""` when absent.
    public var description: String
    /// Labels for routing and search; empty when absent.
    public var labels: [String: String]

    /// An incident from its parts (no checks: ``parse(_:)`` checks).
    public init(title: String, severity: Severity, description: String = "", labels: [String: String] = [:]) {
        self.title = title
        self.severity = severity
        self.description = description
        self.labels = labels
    }

    private enum CodingKeys: String, CodingKey {
        case title, severity, description, labels
    }

    /// Decodes the body and checks its rules; a broken rule throws a ``ValidationError`` naming the field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let base = FieldPath.render(container.codingPath)
        let title = try container.decode(String.self, forKey: .title).trimmingWhitespace()
        if title.isEmpty {
            throw ValidationError.invalid(at: container.codingPath + [CodingKeys.title], "must not be empty")
        }
        try InputLimits.checkLength(title, field: FieldPath.child(base, "title"), max: InputLimits.titleLength)
        self.title = title
        self.severity = try container.decode(Severity.self, forKey: .severity)
        self.description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        try InputLimits.checkLength(description, field: FieldPath.child(base, "description"), max: InputLimits.descriptionLength)
        self.labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        try InputLimits.checkLabels(labels, field: FieldPath.child(base, "labels"))
    }

    /// JSON `{title, severity, description?, labels?}`; title trimmed and non-empty; unknown severity → `.invalid`
    /// naming "severity" and listing the four allowed values; limits as in ``InputLimits``.
    public static func parse(_ body: [UInt8]) throws(ValidationError) -> NewIncident {
        try InputDecoder.decode(NewIncident.self, from: body)
    }
}
