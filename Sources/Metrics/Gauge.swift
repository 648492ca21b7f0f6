import Locking
/// One gauge series (a family with its label values bound). Cheap to set from any thread.
public final class Gauge: Sendable {
    private let state = Locked(0.0)

    init() {}

    /// Sets the value.
    public func set(_ value: Double) { state.withLock { $0 = value } }
    /// Adds `amount` (negative to subtract).
    public func add(_ amount: Double) { state.withLock { $0 += amount } }
    /// The current value.
    public var value: Double { state.withLock { $0 } }
}
