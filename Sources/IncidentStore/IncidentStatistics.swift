import IncidentCore
import PostgresClient

/// The incident counts and durations the `/metrics` of incident-management exposes, read from the database.
///
/// They describe the database, not one process: every replica reports the same numbers, so dashboards
/// aggregate them across replicas with `max`, never `sum` (docs/metrics.md).
public struct IncidentStatistics: Sendable, Equatable {
    /// One histogram: cumulative counts per upper bound (same order as the bounds), the sum and the count.
    public struct Durations: Sendable, Equatable {
        public var cumulative: [Int]
        public var sum: Double
        public var count: Int
    }

    /// Incidents open (triggered or acknowledged) per severity.
    public var open: [Severity: Int] = [:]
    /// Incidents ever opened per severity.
    public var created: [Severity: Int] = [:]
    /// Incidents resolved per severity.
    public var resolved: [Severity: Int] = [:]
    /// Seconds from opening to acknowledgement, per severity (acknowledged incidents only).
    public var timeToAcknowledge: [Severity: Durations] = [:]
    /// Seconds from opening to resolution, per severity (resolved incidents only).
    public var timeToResolve: [Severity: Durations] = [:]

    /// The histogram bounds, in seconds: 30 s to 1 day.
    public static let bucketBounds: [Double] = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400]

    /// Reads the statistics in one query (one scan of `incidents`).
    public static func read(_ db: PostgresConnection) throws -> IncidentStatistics {
        // The bucket columns are built from the constant bounds above, never from input.
        func buckets(_ column: String) -> String {
            bucketBounds.enumerated().map { i, bound in
                "count(*) FILTER (WHERE \(column) <= \(bound)) AS \(column)_le_\(i)"
            }.joined(separator: ", ")
        }
        let rows = try db.query("""
            WITH d AS (
                SELECT severity, status,
                       extract(epoch FROM acknowledged_at - created_at)::float8 AS tta,
                       extract(epoch FROM resolved_at - created_at)::float8 AS ttr
                FROM incidents)
            SELECT severity,
                   count(*) AS created,
                   count(*) FILTER (WHERE status <> 'resolved') AS open,
                   count(*) FILTER (WHERE status = 'resolved') AS resolved,
                   count(tta) AS tta_count, coalesce(sum(tta), 0) AS tta_sum, \(buckets("tta")),
                   count(ttr) AS ttr_count, coalesce(sum(ttr), 0) AS ttr_sum, \(buckets("ttr"))
            FROM d GROUP BY severity
            """).rows
        var stats = IncidentStatistics()
        for severity in Severity.allCases {
            stats.open[severity] = 0
            stats.created[severity] = 0
            stats.resolved[severity] = 0
            stats.timeToAcknowledge[severity] = Durations(cumulative: bucketBounds.map { _ in 0 }, sum: 0, count: 0)
            stats.timeToResolve[severity] = Durations(cumulative: bucketBounds.map { _ in 0 }, sum: 0, count: 0)
        }
        for row in rows {
            guard let severity = Severity(rawValue: try row.decode("severity", as: String.self)) else { continue }
            stats.created[severity] = try row.decode("created", as: Int.self)
            stats.open[severity] = try row.decode("open", as: Int.self)
            stats.resolved[severity] = try row.decode("resolved", as: Int.self)
            func durations(_ prefix: String) throws -> Durations {
                Durations(cumulative: try bucketBounds.indices.map { try row.decode("\(prefix)_le_\($0)", as: Int.self) },
                          sum: try row.decode("\(prefix)_sum", as: Double.self),
                          count: try row.decode("\(prefix)_count", as: Int.self))
            }
            stats.timeToAcknowledge[severity] = try durations("tta")
            stats.timeToResolve[severity] = try durations("ttr")
        }
        return stats
    }
}
