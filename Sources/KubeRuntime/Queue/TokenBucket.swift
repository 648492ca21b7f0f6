/// A token bucket (`rate` tokens per second, at most `burst` saved): the overall limit on rate-limited
/// re-adds, like client-go's `BucketRateLimiter` (10/s, burst 100).
///
/// `reserve(at:)` always grants a token and answers how long the caller must wait for it, so a burst of
/// failures is spread out rather than refused.
struct TokenBucket: Sendable {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant?

    init(rate: Double = 10, burst: Int = 100) {
        self.rate = max(rate, 0.001)
        self.burst = Double(max(burst, 1))
        self.tokens = Double(max(burst, 1))
    }

    /// Takes one token at `now` and returns the wait before it is available (zero when one was saved).
    mutating func reserve(at now: ContinuousClock.Instant) -> Duration {
        if let last {
            let elapsed = max(0, (now - last).seconds)
            tokens = min(burst, tokens + elapsed * rate)
        }
        last = now
        tokens -= 1
        if tokens >= 0 { return .zero }
        return Duration.fromSeconds(-tokens / rate)
    }
}
