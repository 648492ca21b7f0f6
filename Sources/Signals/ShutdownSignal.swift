import Locking
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
        var callbacks: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Locked(State())

    /// A signal not yet triggered.
    public init() {}

    /// A signal that triggers when any of `signals` triggers. Once it has triggered it is no longer registered with
    /// the others, so a short-lived combination with a long-lived signal (one per leadership term) does not stay
    /// for the long-lived signal's whole life.
    public static func any(_ signals: ShutdownSignal...) -> ShutdownSignal {
        let combined = ShutdownSignal()
        var registrations: [(signal: ShutdownSignal, id: Int)] = []
        for s in signals {
            if let id = s.register({ combined.trigger(reason: s.reason) }) { registrations.append((s, id)) }
        }
        let registered = registrations
        combined.onTrigger {
            for r in registered { r.signal.removeCallback(r.id) }
        }
        return combined
    }

    /// Whether it has triggered.
    public var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Why it triggered (the first reason given), empty before.
    public var reason: String { state.withLock { $0.reason } }

    /// Triggers the signal (later calls do nothing): every waiter resumes.
    public func trigger(reason: String = "shutdown requested") {
        trigger(reason: reason, beforeResuming: {})
    }

    /// Triggers the signal and runs `prepare` after ``reason`` is set but before any waiter resumes (if this
    /// call triggered it): e.g. cancel the waiting task, so that it wakes up both cancelled and with the reason.
    package func trigger(reason: String, beforeResuming prepare: () -> Void) {
        let (won, waiters, callbacks) = state.withLock { s -> (Bool, [CheckedContinuation<Void, Never>], [@Sendable () -> Void]) in
            guard !s.triggered else { return (false, [], []) }
            s.triggered = true
            s.reason = reason
            defer { s.waiters = [:]; s.callbacks = [:] }
            return (true, Array(s.waiters.values), s.callbacks.sorted { $0.key < $1.key }.map(\.value))
        }
        if won { prepare() }
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
        _ = register(callback)
    }

    /// Like ``onTrigger(_:)``; returns the callback's id for ``removeCallback(_:)``, nil when it ran at once.
    func register(_ callback: @escaping @Sendable () -> Void) -> Int? {
        let id = state.withLock { s -> Int? in
            if s.triggered { return nil }
            s.nextWaiter += 1
            s.callbacks[s.nextWaiter] = callback
            return s.nextWaiter
        }
        if id == nil { callback() }
        return id
    }

    /// Drops the callback ``register(_:)`` returned `id` for (it will not be called).
    func removeCallback(_ id: Int) {
        _ = state.withLock { s in s.callbacks.removeValue(forKey: id) }
    }

    /// The callbacks waiting for the trigger.
    var callbackCount: Int { state.withLock { $0.callbacks.count } }
}
