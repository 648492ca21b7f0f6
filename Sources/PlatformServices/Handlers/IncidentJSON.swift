import Foundation
import IncidentCore
import IncidentStore

/// How incidents and timeline entries look in API responses (snake_case keys, RFC 3339 times, `null` for
/// what has not happened yet).
enum IncidentJSON {
    static func incident(_ i: Incident) -> [String: Any] {
        [
            "id": i.id,
            "title": i.title,
            "description": i.description,
            "severity": i.severity.rawValue,
            "status": i.status.rawValue,
            "labels": i.labels,
            "source": i.source,
            "dedup_key": i.dedupKey ?? NSNull(),
            "alert_count": i.alertCount,
            "created_at": JSONBody.timestamp(i.createdAt),
            "last_seen_at": JSONBody.timestamp(i.lastSeenAt),
            "acknowledged_at": i.acknowledgedAt.map(JSONBody.timestamp) ?? NSNull(),
            "acknowledged_by": i.acknowledgedBy ?? NSNull(),
            "resolved_at": i.resolvedAt.map(JSONBody.timestamp) ?? NSNull(),
            "resolved_by": i.resolvedBy ?? NSNull(),
        ]
    }

    static func timelineEntry(_ e: TimelineEntry) -> [String: Any] {
        [
            "id": e.id,
            "at": JSONBody.timestamp(e.at),
            "kind": e.kind.rawValue,
            "actor": e.actor ?? NSNull(),
            "message": e.message,
        ]
    }
}
