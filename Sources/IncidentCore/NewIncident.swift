/// An incident that a person opens by hand: `POST /incidents` with `{title, severity, description?, labels?}`.
///
/// Rules (checked while decoding, so every decoder of this type gets them):
/// - `title` is trimmed and must then be 1–500 characters;
/// - `severity` is one of critical, high, medium or low (an unknown value is `.invalid`, naming `severity`);
/// - `description` (default `""`) is at most 65536 characters;
/// - `labels` (default empty) follow the label limits of ``InputLimits``.
public struct NewIncident: Sendable, Equatable, Decodable {
    public var title: String
    public var severity: Severity
    public var description: String
    public var labels: [String: String]

    public init(title: String, severity: Severity, description: String = "", labels: [String: String] = [:]) {
        self.title = title
        self.severity = severity
        self.description = description
        self.labels = labels
    }

    private enum CodingKeys: String, CodingKey {
        case title, severity, description, labels
    }

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
