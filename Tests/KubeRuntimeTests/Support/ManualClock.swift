import Foundation
@testable import KubeRuntime
import Signals

/// A leader-election clock that moves only when the test calls ``advance(by:)``.
final class ManualClock: LeaderElectionClock, @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = NSLock()
    private var current: Duration = .zero
    private var sleepers: [Int: (deadline: Duration, continuation: CheckedContinuation<Bool, Never>)] = [:]
    private var nextID = 0

    func now() -> Duration { lock.withLock { current } }

    /// How many tasks are sleeping on this clock.
    var sleeping: Int { lock.withLock { sleepers.count } }

    func sleep(for duration: Duration, unless signal: ShutdownSignal) async -> Bool {
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        let slept = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let refuse = lock.withLock { () -> Bool in
                    if signal.isTriggered || Task.isCancelled { return true }
                    sleepers[id] = (current + duration, c)
                    return false
                }
                if refuse { c.resume(returning: false) }
                signal.onTrigger { [weak self] in self?.wake(id, false) }
            }
        } onCancel: {
            wake(id, false)
        }
        return slept
    }

    /// Moves time forward and wakes every sleeper whose time has come.
    func advance(by duration: Duration) {
        let due = lock.withLock { () -> [CheckedContinuation<Bool, Never>] in
            current += duration
            let ids = sleepers.filter { $0.value.deadline <= current }.map(\.key)
            return ids.compactMap { sleepers.removeValue(forKey: $0)?.continuation }
        }
        for c in due { c.resume(returning: true) }
    }

    private func wake(_ id: Int, _ value: Bool) {
        let c = lock.withLock { sleepers.removeValue(forKey: id)?.continuation }
        c?.resume(returning: value)
    }
}
