/// Hooks a ``WorkQueue`` calls as it works; ``PrometheusWorkQueueMetrics`` records them under the
/// `workqueue_*` names controller-runtime dashboards use.
public protocol WorkQueueMetrics: Sendable {
    /// The number of keys waiting to be handed out changed.
    func depthChanged(to depth: Int)
    /// A key was added (de-duplicated adds are not counted).
    func added()
    /// A key was re-added through the rate limiter (a retry).
    func retried()
    /// A key waited `seconds` in the queue before a worker took it.
    func queued(seconds: Double)
    /// A worker held a key for `seconds` (from `next()` to `done(_:)`).
    func worked(seconds: Double)
}
