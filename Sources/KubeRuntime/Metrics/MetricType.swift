/// The Prometheus metric types this module writes.
public enum MetricType: String, Sendable {
    case counter, gauge, histogram
}
