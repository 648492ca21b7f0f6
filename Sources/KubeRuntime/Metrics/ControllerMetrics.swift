import Metrics
/// The reconcile metrics of one controller under controller-runtime's names, labelled `controller`:
/// `controller_runtime_reconcile_total{controller,result}` (result `success`, `error`, `requeue`,
/// `requeue_after`), `controller_runtime_reconcile_errors_total`, `controller_runtime_terminal_reconcile_errors_total`,
/// `controller_runtime_reconcile_time_seconds`, `controller_runtime_max_concurrent_reconciles`,
/// `controller_runtime_active_workers`.
struct ControllerMetrics: Sendable {
    /// The outcome label of `controller_runtime_reconcile_total`.
    enum Result: String, Sendable, CaseIterable {
        /// Finished with `awaitChange`; threw; returned `requeue(after: 0)`.
        case success, error, requeue
        /// Returned `requeue(after:)` with a positive delay.
        case requeueAfter = "requeue_after"
    }

    private let totals: [Result: Counter]
    private let errors: Counter
    private let terminalErrors: Counter
    private let time: Histogram
    private let maxConcurrent: Gauge
    private let active: Gauge

    /// The series of `controller` in `registry` (every result series starts at zero, as dashboards expect).
    init(registry: MetricsRegistry, controller: String) {
        let total = registry.counter(
            "controller_runtime_reconcile_total", help: "Total number of reconciliations per controller",
            labels: ["controller", "result"])
        var totals: [Result: Counter] = [:]
        for r in Result.allCases { totals[r] = total.labels(controller, r.rawValue) }
        self.totals = totals
        errors = registry.counter(
            "controller_runtime_reconcile_errors_total", help: "Total number of reconciliation errors per controller",
            labels: ["controller"]).labels(controller)
        terminalErrors = registry.counter(
            "controller_runtime_terminal_reconcile_errors_total",
            help: "Total number of terminal reconciliation errors per controller", labels: ["controller"]).labels(controller)
        time = registry.histogram(
            "controller_runtime_reconcile_time_seconds", help: "Length of time per reconciliation per controller",
            labels: ["controller"], buckets: Histogram.reconcileBuckets).labels(controller)
        maxConcurrent = registry.gauge(
            "controller_runtime_max_concurrent_reconciles", help: "Maximum number of concurrent reconciles per controller",
            labels: ["controller"]).labels(controller)
        active = registry.gauge(
            "controller_runtime_active_workers", help: "Number of currently used workers per controller",
            labels: ["controller"]).labels(controller)
    }

    /// Records one finished reconcile.
    func reconciled(_ result: Result, seconds: Double, terminal: Bool = false) {
        totals[result]?.increment()
        if result == .error { errors.increment() }
        if terminal { terminalErrors.increment() }
        time.observe(seconds)
    }

    func setMaxConcurrent(_ n: Int) { maxConcurrent.set(Double(n)) }
    func workerStarted() { active.add(1) }
    func workerFinished() { active.add(-1) }
}
