import Metrics

/// The metrics every service exposes on `/metrics` (names as docs/metrics.md lists them).
final class ServiceMetrics: Sendable {
    /// Prometheus's default latency buckets.
    static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    let registry = MetricsRegistry()
    let service: String
    private let requests: MetricFamily<Counter>
    private let durations: MetricFamily<Histogram>
    private let alerts: MetricFamily<Counter>

    init(service: String) {
        self.service = service
        requests = registry.counter("http_requests_total", help: "HTTP requests served, by status code.", labels: ["service", "method", "code"])
        durations = registry.histogram("http_request_duration_seconds", help: "HTTP request latency.", labels: ["service", "method"],
                                       buckets: Self.latencyBuckets)
        alerts = registry.counter("alerts_received_total", help: "Alerts accepted from monitoring sources.", labels: ["source"])
        ProcessMetrics.register(in: registry)
    }

    /// Counts one request.
    func observe(method: String, status: Int, seconds: Double) {
        requests.labels(service, method, String(status)).increment()
        durations.labels(service, method).observe(seconds)
    }

    /// Counts alerts accepted from `source` (`alertmanager`, `events`).
    func alertsReceived(_ count: Int, source: String) {
        alerts.labels(source).increment(by: Double(count))
    }
}
