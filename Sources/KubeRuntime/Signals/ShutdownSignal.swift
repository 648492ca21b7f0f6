/// A one-shot "stop now" signal that many tasks can wait for: SIGTERM, a lost lease, or a test.
///
/// ```swift
/// let stop = ShutdownSignal()
/// Task { await controller.run(reconcile: r, context: ctx, until: stop) }
/// stop.trigger()
/// ```
public final class ShutdownSignal: Sendable {
    private struct State {
        var triggered = false
        var reason = ""
        var waiters: [CheckedContinuation<Void, Never>] = []
        var callbacks: [@Sendable () -> Void] = []
    }

    private let state = Locked(State())

    /// A signal not yet triggered.
    public init() {}

    /// A signal that triggers when any of `signals` triggers.
    public static func any(_ signals: ShutdownSignal...) -> ShutdownSignal {
        let combined = ShutdownSignal()
        for s in signals { s.onTrigger { combined.trigger(reason: s.reason) } }
        return combined
    }

    /// Whether it has triggered.
    public var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Why it triggered (the first reason given), empty before.
    public var reason: String { state.withLock { $0.reason } }

    /// Triggers the signal (later calls do nothing): every waiter resumes.
    public func trigger(reason: String = "shutdown requested") {
        let (waiters, callbacks) = state.withLock { s -> ([CheckedContinuation<Void, Never>], [@Sendable () -> Void]) in
            guard !s.triggered else { return ([], []) }
            s.triggered = true
            s.reason = reason
            defer { s.waiters = []; s.callbacks = [] }
            return (s.waiters, s.callbacks)
        }
        for w in waiters { w.resume() }
        for c in callbacks { c() }
    }

    /// Waits until the signal triggers (returns at once if it has).
    public func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.triggered { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    /// Calls `callback` once when the signal triggers (at once if it has).
    public func onTrigger(_ callback: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            if s.triggered { return true }
            s.callbacks.append(callback)
            return false
        }
        if now { callback() }
    }
}
