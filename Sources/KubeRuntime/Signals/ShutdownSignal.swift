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
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
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
            defer { s.waiters = [:]; s.callbacks = [] }
            return (Array(s.waiters.values), s.callbacks)
        }
        for w in waiters { w.resume() }
        for c in callbacks { c() }
    }

    /// Waits until the signal triggers (returns at once if it has) or the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { s -> Int in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.triggered || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s in s.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Sleeps for `duration` unless the signal triggers (or the task is cancelled) first; true when the
    /// whole duration passed.
    public func sleep(for duration: Duration) async -> Bool {
        if isTriggered { return false }
        let slept = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do { try await Task.sleep(for: duration); return true } catch { return false }  // cancelled
            }
            group.addTask { await self.wait(); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return slept && !isTriggered
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
