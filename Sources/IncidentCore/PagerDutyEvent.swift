import TextSupport

/// PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/):
/// {routing_key?, event_action: trigger|acknowledge|resolve, dedup_key?, payload?: {summary, source, severity, timestamp?,
/// component?, group?, class?, custom_details?: any JSON}}
///
/// Rules: `event_action` is required and one of the three actions; a trigger requires `payload.summary` (1–1024
/// characters), `payload.source` and `payload.severity` (critical, error, warning or info); acknowledge and resolve
/// require `dedup_key`. `dedup_key` is 1–255 characters; `source`, `component`, `group` and `class` become label
/// values (≤ 1024 characters); `custom_details` as JSON text is at most 65536 characters (it becomes the
/// description). A missing field is `.malformed`, a bad value `.invalid`; both name the field (`payload.severity`).
public struct PagerDutyEvent: Sendable {
    /// The integration's routing key, as sent (the HTTP layer may check it).
    public var routingKey: String?
    /// `event_action`.
    public var action: SignalAction
    /// `dedup_key`; `nil` for a trigger that lets the receiver choose.
    public var dedupKey: String?
    /// `payload.summary`.
    public var summary: String?
    /// `payload.source`.
    public var source: String?
    /// `payload.severity`, mapped by ``Severity/fromPagerDuty(_:)``.
    public var severity: Severity?
    /// `payload.component`.
    public var component: String?
    /// `payload.group`.
    public var group: String?
    /// `payload.class`.
    public var eventClass: String?
    /// `payload.custom_details` re-serialized as compact JSON text (object keys sorted by their UTF-8 bytes).
    public var customDetailsJSON: String?

    /// An event from its parts (no checks: ``parse(_:)`` checks).
    public init(routingKey: String? = nil, action: SignalAction, dedupKey: String? = nil, summary: String? = nil,
                source: String? = nil, severity: Severity? = nil, component: String? = nil, group: String? = nil,
                eventClass: String? = nil, customDetailsJSON: String? = nil) {
        self.routingKey = routingKey
        self.action = action
        self.dedupKey = dedupKey
        self.summary = summary
        self.source = source
        self.severity = severity
        self.component = component
        self.group = group
        self.eventClass = eventClass
        self.customDetailsJSON = customDetailsJSON
    }

    /// trigger requires payload.summary, payload.source and payload.severity (critical|error|warning|info);
    /// acknowledge/resolve require dedup_key. Errors name the field ("payload.severity").
    public static func parse(_ body: [UInt8]) throws(ValidationError) -> PagerDutyEvent {
        let raw = try InputDecoder.decode(Raw.self, from: body)
        guard let action = SignalAction(rawValue: raw.event_action) else {
            throw .invalid("event_action", "event_action must be trigger, acknowledge or resolve, not \(quoted(raw.event_action))")
        }
        var event = PagerDutyEvent(routingKey: raw.routing_key, action: action)
        if let key = raw.dedup_key {
            if key.isEmpty { throw .invalid("dedup_key", "dedup_key must not be empty: leave it out to let a trigger choose one") }
            try InputLimits.checkLength(key, field: "dedup_key", max: InputLimits.dedupKeyLength)
            event.dedupKey = key
        } else if action != .trigger {
            throw .malformed("dedup_key", "dedup_key is required to \(action.rawValue): send the key of the trigger")
        }
        let payload = raw.payload
        if let summary = payload?.summary {
            if summary.trimmingWhitespace().isEmpty { throw .invalid("payload.summary", "payload.summary must not be empty") }
            try InputLimits.checkLength(summary, field: "payload.summary", max: InputLimits.summaryLength)
            event.summary = summary
        }
        if let text = payload?.severity {
            guard let severity = Severity.fromPagerDuty(text) else {
                throw .invalid("payload.severity", "payload.severity must be critical, error, warning or info, not \(quoted(text))")
            }
            event.severity = severity
        }
        for (name, value) in [("source", payload?.source), ("component", payload?.component), ("group", payload?.group),
                              ("class", payload?.class)] {
            if let value { try InputLimits.checkLength(value, field: "payload.\(name)", max: InputLimits.labelValueLength) }
        }
        event.source = payload?.source
        event.component = payload?.component
        event.group = payload?.group
        event.eventClass = payload?.class
        if let details = payload?.custom_details {
            let text = details.compactText
            try InputLimits.checkLength(text, field: "payload.custom_details", max: InputLimits.descriptionLength)
            event.customDetailsJSON = text
        }
        if action == .trigger {
            if payload == nil { throw .malformed("payload", "payload is required to trigger: send summary, source and severity") }
            for (name, value) in [("summary", event.summary), ("source", event.source)] where value == nil {
                throw .malformed("payload.\(name)", "payload.\(name) is required to trigger")
            }
            if event.source?.trimmingWhitespace().isEmpty == true {
                throw .invalid("payload.source", "payload.source must not be empty: name the host or service that has the problem")
            }
            if event.severity == nil {
                throw .malformed("payload.severity", "payload.severity is required to trigger: critical, error, warning or info")
            }
        }
        return event
    }

    /// The normalized signal; for a trigger without dedup_key the caller passes a generated key. labels: source, and
    /// component/group/class when present; description: custom_details JSON text or "".
    ///
    /// The event's own `dedup_key` wins over `dedupKey`. The title is the summary cut to 500 characters, or
    /// "Event <key>" for an acknowledge or resolve without one; the severity is medium when the event has none.
    public func signal(dedupKey: String) -> AlertSignal {
        let key = self.dedupKey ?? dedupKey
        var labels: [String: String] = [:]
        labels["source"] = source
        labels["component"] = component
        labels["group"] = group
        labels["class"] = eventClass
        return AlertSignal(
            source: "events",
            dedupKey: key,
            action: action,
            title: (summary?.trimmingWhitespace()).map { $0.truncated(toScalars: InputLimits.titleLength) } ?? "Event \(key)",
            severity: severity ?? .medium,
            description: customDetailsJSON ?? "",
            labels: labels
        )
    }

    /// The body as sent, in PagerDuty's snake-case names.
    private struct Raw: Decodable {
        var routing_key: String?
        var event_action: String
        var dedup_key: String?
        var payload: Payload?
    }

    private struct Payload: Decodable {
        var summary: String?
        var source: String?
        var severity: String?
        var timestamp: String?
        var component: String?
        var group: String?
        var `class`: String?
        var custom_details: AnyJSON?
    }
}
