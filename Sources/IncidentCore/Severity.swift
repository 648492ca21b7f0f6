import TextSupport

/// How urgent an incident is, from most to least urgent.
///
/// Severity mapping (copy of the table in `docs/services.md`):
///
/// | Severity   | Alertmanager `severity` label (case-insensitive, trimmed)       | PagerDuty `payload.severity` |
/// |------------|------------------------------------------------------------------|------------------------------|
/// | `critical` | critical, crit, emergency, fatal, page, p1, sev1                 | critical                     |
/// | `high`     | high, error, err, major, p2, sev2                                | error                        |
/// | `medium`   | warning, warn, medium, moderate, p3, sev3; absent or unknown     | warning                      |
/// | `low`      | low, info, informational, notice, minor, none, p4, p5, sev4, sev5 | info                        |
public enum Severity: String, Sendable, Codable, CaseIterable, Hashable {
    case critical, high, medium, low

    /// Decodes one of the four raw values; anything else is rejected with a message that lists them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let severity = Severity(rawValue: text) else {
            throw ValidationError.invalid(at: decoder.codingPath, "must be one of \(Severity.allowedValues), not \(quoted(text))")
        }
        self = severity
    }

    /// The four values as they appear in messages: "critical, high, medium or low".
    static let allowedValues = "critical, high, medium or low"
}

extension Severity {
    /// From an Alertmanager `severity` label, case-insensitive, trimmed:
    /// critical|crit|emergency|fatal|page|p1|sev1 → critical; high|error|err|major|p2|sev2 → high;
    /// warning|warn|medium|moderate|p3|sev3 → medium; low|info|informational|notice|minor|none|p4|p5|sev4|sev5 → low;
    /// absent or anything else → medium.
    ///
    /// ```swift
    /// Severity.fromAlertLabel(" Warning ")  // .medium
    /// Severity.fromAlertLabel("P1")         // .critical
    /// Severity.fromAlertLabel(nil)          // .medium
    /// ```
    public static func fromAlertLabel(_ value: String?) -> Severity {
        guard let value else { return .medium }
        return alertLabelValues[value.trimmingWhitespace().lowercased()] ?? .medium
    }

    /// PagerDuty Events v2 `payload.severity`: critical → critical, error → high, warning → medium, info → low; else nil.
    ///
    /// The match is exact (PagerDuty documents the four values in lower case).
    public static func fromPagerDuty(_ value: String) -> Severity? {
        switch value {
        case "critical": .critical
        case "error": .high
        case "warning": .medium
        case "info": .low
        default: nil
        }
    }

    private static let alertLabelValues: [String: Severity] = {
        var table: [String: Severity] = [:]
        for name in ["critical", "crit", "emergency", "fatal", "page", "p1", "sev1"] { table[name] = .critical }
        for name in ["high", "error", "err", "major", "p2", "sev2"] { table[name] = .high }
        for name in ["warning", "warn", "medium", "moderate", "p3", "sev3"] { table[name] = .medium }
        for name in ["low", "info", "informational", "notice", "minor", "none", "p4", "p5", "sev4", "sev5"] { table[name] = .low }
        return table
    }()
}
