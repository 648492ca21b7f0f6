import Foundation
import IncidentPlatform
import KubeCore
import KubeRuntime
import Locking

/// Spaces out status writes that only move rollout progress (component counts and messages while the phase
/// stays Progressing and no condition flips): such a write waits until `interval` after the previous write
/// of that platform, so a rollout that finishes in a burst of owned-object events costs one write, not ten.
/// Phase changes, condition flips and problems are written at once.
///
/// After a reconcile wrote children, the status waits `interval` too: the children cannot report a rollout
/// yet, so the status written a moment later is both truthful and the only one.
///
/// It also remembers the last status written per platform, so a reconcile woken by a child before the
/// informer has seen that write does not write the same status again.
public final class StatusThrottle: Sendable {
    /// The shortest time between progress-only writes, and the delay of the status after children were written.
    public let interval: Duration
    private let holds = Locked<[String: ContinuousClock.Instant]>([:])
    private let lastWrite = Locked<[String: LastWrite]>([:])

    /// The last status written for a platform: the typed status (not its JSON tree, a few KiB less per
    /// platform) and a hash of the cached status it replaced.
    private struct LastWrite {
        var at: ContinuousClock.Instant
        var status: IncidentPlatformStatus
        var overHash: String
    }

    /// A throttle with `interval` between progress-only writes (1 s by default).
    public init(interval: Duration = .seconds(1)) { self.interval = interval }

    /// How long to wait before writing `next` over `previous` for the platform `key`, nil to write now.
    public func delay(key: String, previous: IncidentPlatformStatus, next: IncidentPlatformStatus) -> Duration? {
        guard let last = lastWrite.withLock({ $0[key] }) else { return nil }
        guard Self.progressOnly(previous: last.status, next: next) else { return nil }
        let elapsed = ContinuousClock.now - last.at
        return elapsed < interval ? interval - elapsed : nil
    }

    /// Records that the children of `key` were written now: its status waits ``interval`` (see ``hold(key:)``).
    public func childrenWritten(key: String) {
        let until = ContinuousClock.now + interval
        holds.withLock { $0[key] = until }
    }

    /// How long the status of `key` still waits after its children were written, nil when it may be written.
    public func hold(key: String) -> Duration? {
        holds.withLock { h -> Duration? in
            guard let until = h[key] else { return nil }
            let left = until - ContinuousClock.now
            if left <= .zero { h[key] = nil; return nil }
            return left
        }
    }

    /// Whether writing `status` over the cached `previous` would repeat the last write for `key`: the same
    /// status, and the cache still shows what it replaced (it has not seen the write yet). When anyone else
    /// changed the status since, the cache shows that, and the status is written again.
    public func repeatsLastWrite(key: String, _ status: IncidentPlatformStatus, over previous: IncidentPlatformStatus) -> Bool {
        guard let last = lastWrite.withLock({ $0[key] }) else { return false }
        return last.status.json == status.json && last.overHash == Self.hash(previous)
    }

    /// Records that `status` was written for `key` now, over the cached `previous`.
    public func wrote(key: String, _ status: IncidentPlatformStatus, over previous: IncidentPlatformStatus) {
        let written = LastWrite(at: ContinuousClock.now, status: status, overHash: Self.hash(previous))
        lastWrite.withLock { $0[key] = written }
    }

    /// A hash of the status as written (its canonical JSON).
    private static func hash(_ status: IncidentPlatformStatus) -> String {
        ObjectProjection.contentHash(of: ["status": status.json], paths: [["status"]])
    }

    /// Forgets the platform `key` (it was deleted).
    func forget(key: String) {
        holds.withLock { $0[key] = nil }
        lastWrite.withLock { $0[key] = nil }
    }

    /// Whether `next` differs from `previous` only in component progress.
    static func progressOnly(previous: IncidentPlatformStatus, next: IncidentPlatformStatus) -> Bool {
        guard previous.phase == .progressing, next.phase == .progressing, previous.observedGeneration == next.observedGeneration,
              previous.components.keys.sorted() == next.components.keys.sorted() else { return false }
        for condition in next.conditions {
            guard let old = previous.conditions.condition(ofType: condition.type), old.status == condition.status,
                  old.reason == condition.reason else { return false }
        }
        return previous.conditions.count == next.conditions.count
    }
}
