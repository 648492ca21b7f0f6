import Locking
/// One histogram series (a family with its label values bound): cumulative buckets, sum and count.
public final class Histogram: Sendable {
    /// The upper bounds of the buckets, ascending, without `+Inf`.
    public let upperBounds: [Double]
    private let state: Locked<(counts: [UInt64], sum: Double, count: UInt64)>

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        self.state = Locked((Array(repeating: 0, count: upperBounds.count), 0, 0))
    }

    /// Records one observation.
    public func observe(_ value: Double) {
        let i = upperBounds.firstIndex { value <= $0 }
        state.withLock { s in
            if let i { s.counts[i] += 1 }
            s.sum += value
            s.count += 1
        }
    }

    /// Records a duration in seconds.
    public func observe(_ duration: Duration) {
        let c = duration.components
        observe(Double(c.seconds) + Double(c.attoseconds) / 1e18)
    }

    /// Cumulative counts per bucket (`le` order), the sum and the count.
    public var snapshot: (cumulative: [UInt64], sum: Double, count: UInt64) {
        state.withLock { s in
            var running: UInt64 = 0
            let cumulative = s.counts.map { running += $0; return running }
            return (cumulative, s.sum, s.count)
        }
    }

    /// controller-runtime's buckets for `controller_runtime_reconcile_time_seconds`.
    public static let reconcileBuckets: [Double] = [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ]
    /// client-go's work queue buckets: 10 ns to 1000 s, ×10 each (`ExponentialBuckets(10e-9, 10, 12)`).
    public static let workQueueBuckets: [Double] = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000]
}
