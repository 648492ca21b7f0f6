/// An Alertmanager webhook payload, version "4"
/// (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
///
/// Rules (checked while decoding): `version` must be "4" (else `.invalid` naming `version`); `status` is "firing" or
/// "resolved"; `alerts` is required (it may be empty) and holds at most 1000 alerts, each checked as described in
/// ``AlertmanagerAlert``. Every alert becomes its own signal, keyed by its own fingerprint: unrelated alerts in one
/// group never merge into one incident.
public struct AlertmanagerWebhook: Sendable, Decodable {
    /// The payload version: "4".
    public var version: String
    /// The key of the alert group.
    public var groupKey: String?
    /// "firing" if any alert of the group fires, else "resolved".
    public var status: String
    /// The receiver's name in the Alertmanager configuration.
    public var receiver: String?
    /// The labels the group is grouped by.
    public var groupLabels: [String: String]?
    /// The labels all alerts share.
    public var commonLabels: [String: String]?
    /// The annotations all alerts share.
    public var commonAnnotations: [String: String]?
    /// The Alertmanager's URL.
    public var externalURL: String?
    /// The alerts.
    public var alerts: [AlertmanagerAlert]

    /// A payload from its parts (no checks: decoding checks).
    public init(version: String = "4", groupKey: String? = nil, status: String, receiver: String? = nil,
                groupLabels: [String: String]? = nil, commonLabels: [String: String]? = nil,
                commonAnnotations: [String: String]? = nil, externalURL: String? = nil, alerts: [AlertmanagerAlert]) {
        self.version = version
        self.groupKey = groupKey
        self.status = status
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
        self.alerts = alerts
    }

    private enum CodingKeys: String, CodingKey {
        case version, groupKey, status, receiver, groupLabels, commonLabels, commonAnnotations, externalURL, alerts
    }

    /// Decodes a payload and checks its rules; a broken rule throws a ``ValidationError`` naming the field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        if version != "4" {
            throw ValidationError.invalid(at: container.codingPath + [CodingKeys.version], "must be \"4\" (Alertmanager's webhook payload version), not \(quoted(version))")
        }
        status = try container.decode(String.self, forKey: .status)
        if status != "firing" && status != "resolved" {
            throw ValidationError.invalid(at: container.codingPath + [CodingKeys.status], "must be \"firing\" or \"resolved\", not \(quoted(status))")
        }
        groupKey = try container.decodeIfPresent(String.self, forKey: .groupKey)
        receiver = try container.decodeIfPresent(String.self, forKey: .receiver)
        groupLabels = try container.decodeIfPresent([String: String].self, forKey: .groupLabels)
        commonLabels = try container.decodeIfPresent([String: String].self, forKey: .commonLabels)
        commonAnnotations = try container.decodeIfPresent([String: String].self, forKey: .commonAnnotations)
        externalURL = try container.decodeIfPresent(String.self, forKey: .externalURL)
        // Count first, so that a huge list is rejected before its alerts are decoded one by one.
        var list = try container.nestedUnkeyedContainer(forKey: .alerts)
        if let count = list.count, count > InputLimits.alertsPerWebhook {
            throw ValidationError.invalid(at: container.codingPath + [CodingKeys.alerts], "has \(count) alerts; at most \(InputLimits.alertsPerWebhook) are allowed in one webhook (lower max_alerts in the Alertmanager receiver)")
        }
        var alerts: [AlertmanagerAlert] = []
        while !list.isAtEnd { alerts.append(try list.decode(AlertmanagerAlert.self)) }
        self.alerts = alerts
    }

    /// Parses a webhook body; see the type's rules.
    public static func parse(_ body: [UInt8]) throws(ValidationError) -> AlertmanagerWebhook {
        try InputDecoder.decode(AlertmanagerWebhook.self, from: body)
    }

    /// One signal per alert: key = fingerprint, else DedupKey.fingerprint(of: labels); firing → .trigger, resolved → .resolve;
    /// title = annotations["summary"] ?? labels["alertname"] ?? "Alert <key>"; description = annotations["description"] ?? "";
    /// severity = Severity.fromAlertLabel(labels["severity"]); labels = the alert's labels.
    ///
    /// An empty or blank summary or alertname counts as absent; the title is cut to 500 characters and the description
    /// to 65536.
    public var signals: [AlertSignal] { alerts.map(\.signal) }
}
