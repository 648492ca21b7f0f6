import Signals
/// Time as leader election sees it: a monotonic "now" and interruptible sleeps. Tests substitute a manual
/// clock to check the 15 s / 10 s / 2 s rules without waiting.
public protocol LeaderElectionClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Sleeps for `duration`; false when `signal` triggered (or the task was cancelled) first.
    func sleep(for duration: Duration, unless signal: ShutdownSignal) async -> Bool
}

/// The real clock (`ContinuousClock`).
public struct SystemLeaderElectionClock: LeaderElectionClock {
    private let origin = ContinuousClock.now

    /// The real clock.
    public init() {}

    /// Time since this clock was made.
    public func now() -> Duration { ContinuousClock.now - origin }

    /// Sleeps unless `signal` triggers first.
    public func sleep(for duration: Duration, unless signal: ShutdownSignal) async -> Bool {
        await signal.sleep(for: duration)
    }
}
