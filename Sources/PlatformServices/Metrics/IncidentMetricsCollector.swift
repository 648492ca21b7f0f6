import FoundationEssentials
import IncidentCore
import IncidentStore
import Locking
import Metrics
import PostgresClient

/// The incident metrics of incident-management, read from the database at scrape time (at most once every
/// `maxAge` seconds). Because they are read from the shared database, every replica reports the same values:
/// the dashboards aggregate them with `max` across replicas, so two replicas never double a count.
final class IncidentMetricsCollector: Sendable {
    private let pool: PostgresPool
    private let maxAge: Double
    private let cache = Locked<(at: Double, metrics: [CollectedMetric])?>(nil)

    init(pool: PostgresPool, maxAge: Double = 5) {
        self.pool = pool
        self.maxAge = maxAge
    }

    /// Adds the collector to `registry`.
    func register(in registry: MetricsRegistry) {
        registry.addCollector { [self] in collect() }
    }

    /// The samples; when the database cannot be read, the last ones read (or none).
    func collect() -> [CollectedMetric] {
        let now = Date().timeIntervalSince1970
        if let cached = cache.withLock({ $0 }), now - cached.at < maxAge { return cached.metrics }
        guard let stats = try? pool.withConnection({ try IncidentStatistics.read($0) }) else {
            return cache.withLock { $0?.metrics } ?? []
        }
        let metrics = Self.samples(stats)
        cache.withLock { $0 = (now, metrics) }
        return metrics
    }

    static func samples(_ stats: IncidentStatistics) -> [CollectedMetric] {
        var out: [CollectedMetric] = []
        func counts(_ name: String, _ help: String, _ type: MetricType, _ values: [Severity: Int]) {
            for severity in Severity.allCases {
                out.append(CollectedMetric(name: name, help: help, type: type, value: Double(values[severity] ?? 0),
                                           labels: ["severity": severity.rawValue]))
            }
        }
        func histogram(_ name: String, _ help: String, _ values: [Severity: IncidentStatistics.Durations]) {
            for severity in Severity.allCases {
                guard let h = values[severity] else { continue }
                let labels = ["severity": severity.rawValue]
                for (bound, count) in zip(IncidentStatistics.bucketBounds, h.cumulative) {
                    out.append(CollectedMetric(name: name + "_bucket", help: help, type: .histogram, value: Double(count),
                                               labels: labels.merging(["le": MetricsRegistry.format(bound)]) { $1 }, family: name))
                }
                out.append(CollectedMetric(name: name + "_bucket", help: help, type: .histogram, value: Double(h.count),
                                           labels: labels.merging(["le": "+Inf"]) { $1 }, family: name))
                out.append(CollectedMetric(name: name + "_sum", help: help, type: .histogram, value: h.sum, labels: labels, family: name))
                out.append(CollectedMetric(name: name + "_count", help: help, type: .histogram, value: Double(h.count), labels: labels, family: name))
            }
        }
        counts("incidents_created_total", "Incidents opened.", .counter, stats.created)
        counts("incidents_open", "Incidents currently open (not resolved).", .gauge, stats.open)
        counts("incidents_resolved_total", "Incidents resolved.", .counter, stats.resolved)
        histogram("incident_time_to_acknowledge_seconds", "Time from opening to acknowledgement.", stats.timeToAcknowledge)
        histogram("incident_time_to_resolve_seconds", "Time from opening to resolution.", stats.timeToResolve)
        return out
    }
}
