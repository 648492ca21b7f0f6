extension Duration {
    /// The duration in seconds as a `Double` (for metrics and arithmetic).
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    /// A duration from seconds; negative and non-finite values become zero.
    static func fromSeconds(_ s: Double) -> Duration {
        guard s.isFinite, s > 0 else { return .zero }
        return .nanoseconds(Int64(min(s, 9e9) * 1e9))
    }
}
