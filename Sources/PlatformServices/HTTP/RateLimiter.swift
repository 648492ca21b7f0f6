import FoundationEssentials
import Locking

/// A token bucket per key: `rate` units per second, at most `burst` saved up. Alert-ingestion spends one unit
/// per alert, keyed by the caller's token. The clock is a parameter, so tests do not sleep.
final class RateLimiter: Sendable {
    /// The answer to a request for units.
    enum Decision: Equatable {
        case allowed
        /// Refused; the units would be available after this many seconds.
        case limited(retryAfter: Double)
    }

    let rate: Double
    let burst: Double
    private let now: @Sendable () -> Double
    private let buckets = Locked<[String: (tokens: Double, at: Double)]>([:])

    /// A limiter; `rate` 0 allows everything.
    init(rate: Double, burst: Double, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.rate = rate
        self.burst = max(burst, rate)
        self.now = now
    }

    /// Takes `units` from `key`'s bucket, or tells when they would be there. A request larger than the burst is
    /// refused with the time the burst takes to fill (it can never pass whole; the caller should split it).
    func take(_ units: Double, for key: String) -> Decision {
        guard rate > 0 else { return .allowed }
        let t = now()
        return buckets.withLock { all in
            var bucket = all[key] ?? (burst, t)
            bucket.tokens = min(burst, bucket.tokens + (t - bucket.at) * rate)
            bucket.at = t
            defer { all[key] = bucket }
            if units <= bucket.tokens {
                bucket.tokens -= units
                return .allowed
            }
            return .limited(retryAfter: (min(units, burst) - bucket.tokens) / rate)
        }
    }
}
