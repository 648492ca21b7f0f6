import Locking
/// One counter series (a family with its label values bound). Cheap to increment from any thread.
public final class Counter: Sendable {
    private let state = Locked(0.0)

    init() {}

    /// Adds `amount` (ignored unless positive: counters only go up).
    public func increment(by amount: Double = 1) {
        guard amount > 0 else { return }
        state.withLock { $0 += amount }
    }

    /// The current value.
    public var value: Double { state.withLock { $0 } }
}
