import TextSupport

/// One alert of an ``AlertmanagerWebhook``.
///
/// Rules (checked while decoding): `status` is "firing" or "resolved"; `labels` follow the label limits of
/// ``InputLimits``; `fingerprint`, when present, is at most 255 characters.
public struct AlertmanagerAlert: Sendable, Decodable {
    /// "firing" or "resolved".
    public var status: String
    /// The alert's identifying labels.
    public var labels: [String: String]
    /// The alert's annotations (`summary`, `description`, `runbook_url`, ...).
    public var annotations: [String: String]?
    /// When the alert started firing (RFC 3339), as sent.
    public var startsAt: String?
    /// When the alert resolved (RFC 3339; `0001-01-01T00:00:00Z` while firing), as sent.
    public var endsAt: String?
    /// A link to the alert's source (the Prometheus expression).
    public var generatorURL: String?
    /// Alertmanager's fingerprint of the labels: the dedup key when present.
    public var fingerprint: String?

    /// An alert from its parts (no checks: decoding checks).
    public init(status: String, labels: [String: String], annotations: [String: String]? = nil, startsAt: String? = nil,
                endsAt: String? = nil, generatorURL: String? = nil, fingerprint: String? = nil) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
    }

    private enum CodingKeys: String, CodingKey {
        case status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint
    }

    /// Decodes an alert and checks its rules; a broken rule throws a ``ValidationError`` naming the field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let base = FieldPath.render(container.codingPath)
        status = try container.decode(String.self, forKey: .status)
        if status != "firing" && status != "resolved" {
            throw ValidationError.invalid(at: container.codingPath + [CodingKeys.status], "must be \"firing\" or \"resolved\", not \(quoted(status))")
        }
        labels = try container.decode([String: String].self, forKey: .labels)
        try InputLimits.checkLabels(labels, field: FieldPath.child(base, "labels"))
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
        startsAt = try container.decodeIfPresent(String.self, forKey: .startsAt)
        endsAt = try container.decodeIfPresent(String.self, forKey: .endsAt)
        generatorURL = try container.decodeIfPresent(String.self, forKey: .generatorURL)
        fingerprint = try container.decodeIfPresent(String.self, forKey: .fingerprint)
        if let fingerprint {
            try InputLimits.checkLength(fingerprint, field: FieldPath.child(base, "fingerprint"), max: InputLimits.dedupKeyLength)
        }
    }

    /// The dedup key: the fingerprint, or (when it is absent or empty) ``DedupKey/fingerprint(of:)`` of the labels.
    public var dedupKey: String {
        if let fingerprint, !fingerprint.isEmpty { return fingerprint }
        return DedupKey.fingerprint(of: labels)
    }

    /// The normalized signal (see ``AlertmanagerWebhook/signals``).
    public var signal: AlertSignal {
        let key = dedupKey
        let title = [annotations?["summary"], labels["alertname"]].lazy
            .compactMap { $0?.trimmingWhitespace() }.first { !$0.isEmpty } ?? "Alert \(key)"
        return AlertSignal(
            source: "alertmanager",
            dedupKey: key,
            action: status == "resolved" ? .resolve : .trigger,
            title: title.truncated(toScalars: InputLimits.titleLength),
            severity: Severity.fromAlertLabel(labels["severity"]),
            description: (annotations?["description"] ?? "").truncated(toScalars: InputLimits.descriptionLength),
            labels: labels
        )
    }
}
