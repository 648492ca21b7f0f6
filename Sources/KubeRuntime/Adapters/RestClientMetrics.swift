import KubeClient
import Metrics

/// Publishes a `KubeClient`'s request counters as `rest_client_requests_total{code,method,host}`.
public enum RestClientMetrics {
    /// Adds a collector reading `requests` (e.g. `client.metrics`) at every scrape of `registry`.
    public static func register(_ requests: RequestMetrics, in registry: MetricsRegistry) {
        registry.addCollector {
            requests.snapshot().map { entry in
                CollectedMetric(
                    name: "rest_client_requests_total",
                    help: "Number of HTTP requests, partitioned by status code, method, and host.",
                    type: .counter, value: Double(entry.count),
                    labels: ["code": entry.key.code, "method": entry.key.method, "host": entry.key.host])
            }
        }
    }
}
