import IncidentCore
import IncidentStore

/// An incident as API responses show it: snake_case keys, RFC 3339 times, `null` for what has not happened yet,
/// and the timeline when one is given.
struct IncidentJSON: Encodable {
    let incident: Incident
    var timeline: [TimelineEntryJSON]?

    init(_ incident: Incident, timeline: [TimelineEntry]? = nil) {
        self.incident = incident
        self.timeline = timeline?.map(TimelineEntryJSON.init)
    }

    private enum Key: String, CodingKey {
        case id, title, description, severity, status, labels, source, timeline
        case dedupKey = "dedup_key", alertCount = "alert_count", createdAt = "created_at", lastSeenAt = "last_seen_at"
        case acknowledgedAt = "acknowledged_at", acknowledgedBy = "acknowledged_by"
        case resolvedAt = "resolved_at", resolvedBy = "resolved_by"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let i = incident
        try c.encode(i.id, forKey: .id)
        try c.encode(i.title, forKey: .title)
        try c.encode(i.description, forKey: .description)
        try c.encode(i.severity.rawValue, forKey: .severity)
        try c.encode(i.status.rawValue, forKey: .status)
        try c.encode(i.labels, forKey: .labels)
        try c.encode(i.source, forKey: .source)
        // Optionals are written as explicit nulls: clients see every field.
        try c.encode(i.dedupKey, forKey: .dedupKey)
        try c.encode(i.alertCount, forKey: .alertCount)
        try c.encode(JSONBody.timestamp(i.createdAt), forKey: .createdAt)
        try c.encode(JSONBody.timestamp(i.lastSeenAt), forKey: .lastSeenAt)
        try c.encode(i.acknowledgedAt.map(JSONBody.timestamp), forKey: .acknowledgedAt)
        try c.encode(i.acknowledgedBy, forKey: .acknowledgedBy)
        try c.encode(i.resolvedAt.map(JSONBody.timestamp), forKey: .resolvedAt)
        try c.encode(i.resolvedBy, forKey: .resolvedBy)
        if let timeline { try c.encode(timeline, forKey: .timeline) }
    }
}

/// One timeline entry in API responses.
struct TimelineEntryJSON: Encodable {
    let id: Int64
    let at: String
    let kind: String
    let actor: String?
    let message: String

    init(_ entry: TimelineEntry) {
        id = entry.id
        at = JSONBody.timestamp(entry.at)
        kind = entry.kind.rawValue
        actor = entry.actor
        message = entry.message
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(at, forKey: .at)
        try c.encode(kind, forKey: .kind)
        try c.encode(actor, forKey: .actor)
        try c.encode(message, forKey: .message)
    }

    private enum CodingKeys: String, CodingKey { case id, at, kind, actor, message }
}

/// A page of incidents: `{"incidents": [...], "next_cursor": "..." | null}`.
struct IncidentPageJSON: Encodable {
    let incidents: [IncidentJSON]
    let nextCursor: String?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(incidents, forKey: .incidents)
        try c.encode(nextCursor, forKey: .nextCursor)
    }

    private enum CodingKeys: String, CodingKey { case incidents, nextCursor = "next_cursor" }
}
