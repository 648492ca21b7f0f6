/// The Prometheus metric types this module writes.
public enum MetricType: String, Sendable {
    /// A value that only goes up; a value that goes up and down; a distribution in buckets.
    case counter, gauge, histogram
}
