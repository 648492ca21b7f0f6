import Metrics
/// Work queue metrics under client-go's names, labelled with the queue's `name`:
/// `workqueue_depth`, `workqueue_adds_total`, `workqueue_retries_total`,
/// `workqueue_queue_duration_seconds`, `workqueue_work_duration_seconds`.
public struct PrometheusWorkQueueMetrics: WorkQueueMetrics {
    private let depth: Gauge
    private let adds: Counter
    private let retries: Counter
    private let queueDuration: Histogram
    private let workDuration: Histogram

    /// The series of the queue `name` in `registry`.
    public init(registry: MetricsRegistry, name: String) {
        depth = registry.gauge("workqueue_depth", help: "Current depth of workqueue", labels: ["name"]).labels(name)
        adds = registry.counter("workqueue_adds_total", help: "Total number of adds handled by workqueue", labels: ["name"]).labels(name)
        retries = registry.counter("workqueue_retries_total", help: "Total number of retries handled by workqueue", labels: ["name"]).labels(name)
        queueDuration = registry.histogram(
            "workqueue_queue_duration_seconds", help: "How long in seconds an item stays in workqueue before being requested",
            labels: ["name"], buckets: Histogram.workQueueBuckets).labels(name)
        workDuration = registry.histogram(
            "workqueue_work_duration_seconds", help: "How long in seconds processing an item from workqueue takes.",
            labels: ["name"], buckets: Histogram.workQueueBuckets).labels(name)
    }

    /// Sets `workqueue_depth`.
    public func depthChanged(to depth: Int) { self.depth.set(Double(depth)) }
    /// Increments `workqueue_adds_total`.
    public func added() { adds.increment() }
    /// Increments `workqueue_retries_total`.
    public func retried() { retries.increment() }
    /// Observes `workqueue_queue_duration_seconds`.
    public func queued(seconds: Double) { queueDuration.observe(seconds) }
    /// Observes `workqueue_work_duration_seconds`.
    public func worked(seconds: Double) { workDuration.observe(seconds) }
}
