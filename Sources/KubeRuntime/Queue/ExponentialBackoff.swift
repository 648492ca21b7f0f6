/// An exponential backoff: `base * 2^failures`, capped at `cap`.
///
/// The work queue uses 5 ms to 1000 s (client-go's item rate limiter); informers use 800 ms to 30 s.
public struct ExponentialBackoff: Sendable, Hashable {
    /// The first delay.
    public var base: Duration
    /// The longest delay.
    public var cap: Duration

    /// A backoff that starts at `base` and doubles up to `cap`.
    public init(base: Duration, cap: Duration) {
        self.base = base
        self.cap = max(base, cap)
    }

    /// The delay after `failures` consecutive failures (0 gives `base`).
    public func delay(afterFailures failures: Int) -> Duration {
        let exponent = Double(max(0, min(failures, 62)))
        let seconds = base.seconds * pow2(exponent)
        return seconds >= cap.seconds ? cap : Duration.fromSeconds(seconds)
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e { r *= 2; i += 1 }
        return r
    }

    /// Reconcile retries: 5 ms doubling to 1000 s.
    public static let workQueue = ExponentialBackoff(base: .milliseconds(5), cap: .seconds(1000))
    /// Watch failures: 800 ms doubling to 30 s.
    public static let watch = ExponentialBackoff(base: .milliseconds(800), cap: .seconds(30))
}
