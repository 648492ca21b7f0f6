import Foundation
import KubeClient
import KubeCore
import Locking
import Logging
import Metrics
import Signals

/// Leader election on a Lease, like client-go's `leaderelection` with `ReleaseOnCancel`.
///
/// ```swift
/// let elector = LeaderElector(config: LeaderElectionConfig(name: "incident-operator", identity: id),
///                             store: leaseStore, logger: log, metrics: registry)
/// await elector.run(until: shutdown) { leading in
///     // `leading` triggers when leadership is lost or shutdown begins: stop reconciling.
///     await controller.run(reconcile: reconcile, context: ctx, until: leading)
/// }
/// ```
///
/// Guarantees:
/// - A candidate takes a Lease only when it is free (no holder), or when its record has not changed for
///   `leaseDurationSeconds` as observed locally (no clock comparison across machines); every write is
///   conditional on the resourceVersion read, so two candidates never both win.
/// - The leader renews every ``LeaderElectionConfig/retryPeriod``; when it has not renewed for
///   ``LeaderElectionConfig/renewDeadline`` (or sees another holder) it stops leading at once: the
///   signal given to `whileLeading` triggers, the task running `whileLeading` is cancelled (in-flight
///   reconciles see cancellation) and `leader_election_master_status` drops to 0.
/// - On shutdown (`until` triggers) the leader waits for `whileLeading` to return, then releases the
///   Lease (empty holder, `leaseDurationSeconds: 1`) so another replica takes over immediately.
/// - After losing the lease (not on shutdown) the replica becomes a candidate again.
public final class LeaderElector: Sendable {
    /// The settings.
    public let config: LeaderElectionConfig
    private let store: any LeaseStore
    private let logger: Logger
    private let status: Gauge?
    private let state = Locked<(leading: Bool, observed: LeaseRecord?, observedAt: Duration?)>((false, nil, nil))
    private let clock: any LeaderElectionClock

    /// An elector for `config` over `store`; `clock` is for tests.
    public init(config: LeaderElectionConfig, store: any LeaseStore, logger: Logger = .disabled, metrics: MetricsRegistry? = nil,
                clock: any LeaderElectionClock = SystemLeaderElectionClock()) {
        self.config = config
        self.store = store
        self.clock = clock
        self.logger = logger.named("leader-election").with(["lease": .string(config.name), "identity": .string(config.identity)])
        self.status = metrics?.gauge(
            "leader_election_master_status",
            help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
            labels: ["name"]
        ).labels(config.name)
        status?.set(0)
    }

    /// Whether this replica leads now.
    public var isLeader: Bool { state.withLock { $0.leading } }

    /// Campaigns until `stop` triggers; while leading, runs `whileLeading` with a signal that triggers when
    /// leadership ends. Returns after releasing the lease (if leading) once `stop` triggered. Cancelling
    /// the calling task stops at once without releasing (like a crash).
    public func run(until stop: ShutdownSignal, whileLeading: @escaping @Sendable (ShutdownSignal) async -> Void) async {
        while !stop.isTriggered, !Task.isCancelled {
            guard await acquire(until: stop) else { break }
            setLeading(true)
            logger.info("Acquired the lease; leading")
            let lost = ShutdownSignal()
            let leadingSignal = ShutdownSignal.any(lost, stop)
            let leading = Task { await whileLeading(leadingSignal) }
            let lossReason = await renewLoop(until: stop)
            setLeading(false)
            // The signal gets its reason before the work is cancelled (a cancelled `wait()` returns at once, and
            // would otherwise read the reason of a signal not yet triggered), and the work is cancelled before it
            // wakes up (so that it does not start draining).
            if Task.isCancelled {
                leadingSignal.trigger(reason: "cancelled", beforeResuming: { leading.cancel() })
                return
            }
            if let lossReason {
                // Another replica may lead soon: cancel in-flight work instead of letting it drain.
                leadingSignal.trigger(reason: lossReason, beforeResuming: { leading.cancel() })
                lost.trigger(reason: lossReason)
            }
            leadingSignal.trigger(reason: stop.reason)
            await leading.value
            if stop.isTriggered, lossReason == nil {
                if config.releaseOnCancel { await release() }
                break
            }
            if stop.isTriggered { break }
            logger.warn("Lost the lease; campaigning again", ["reason": .string(lost.reason)])
        }
    }

    // MARK: - Acquire and renew

    /// Tries every retry period until this replica holds the lease; false if `stop` triggered first.
    private func acquire(until stop: ShutdownSignal) async -> Bool {
        var reportedHolder = ""
        while !stop.isTriggered, !Task.isCancelled {
            do {
                if try await tryAcquireOrRenew() { return true }
                let holder = state.withLock { $0.observed?.holderIdentity ?? "" }
                if holder != reportedHolder {
                    logger.info("Lease held by another replica; waiting", ["holder": .string(holder)])
                    reportedHolder = holder
                }
            } catch {
                logger.warn("Could not read or write the lease; retrying", ["error": .error(error)])
            }
            let jittered = Duration.fromSeconds(config.retryPeriod.seconds * Double.random(in: 1.0...1.2))
            guard await clock.sleep(for: jittered, unless: stop) else { return false }
        }
        return false
    }

    /// Renews every retry period until `stop` triggers (returns nil) or renewing fails past the deadline
    /// (returns why).
    private func renewLoop(until stop: ShutdownSignal) async -> String? {
        var lastRenew = clock.now()
        while !Task.isCancelled {
            guard await clock.sleep(for: config.retryPeriod, unless: stop) else { return nil }
            let remaining = config.renewDeadline - (clock.now() - lastRenew)
            var renewed = false
            var failure = "renew deadline passed"
            if remaining > .zero {
                do {
                    renewed = try await withDeadline(remaining) { try await self.tryAcquireOrRenew() }
                    if !renewed { failure = "another replica holds the lease" }
                } catch {
                    failure = "\(error)"
                    logger.warn("Could not renew the lease", ["error": .error(error)])
                }
            }
            if renewed {
                lastRenew = clock.now()
                continue
            }
            let holder = state.withLock { $0.observed?.holderIdentity ?? "" }
            if (!holder.isEmpty && holder != config.identity) || clock.now() - lastRenew >= config.renewDeadline {
                logger.error("Stopped leading: could not renew the lease within the renew deadline",
                             ["reason": .string(failure), "renewDeadline": .string("\(config.renewDeadline.seconds)s")])
                return "lease lost: \(failure)"
            }
        }
        return nil
    }

    /// One attempt (client-go's `tryAcquireOrRenew`): true when this replica holds the lease afterwards.
    private func tryAcquireOrRenew() async throws -> Bool {
        let now = Date()
        let durationSeconds = max(1, Int(config.leaseDuration.seconds.rounded(.up)))
        guard let current = try await store.get() else {
            do {
                observe(try await store.create(LeaseRecord(
                    holderIdentity: config.identity, leaseDurationSeconds: durationSeconds,
                    acquireTime: now, renewTime: now, leaseTransitions: 0)))
                return true
            } catch where Self.isConflict(error) {
                return false  // another replica created it first
            }
        }
        observe(current)
        let (observedAt, leading) = state.withLock { ($0.observedAt, $0.leading) }
        let held = !current.holderIdentity.isEmpty && current.holderIdentity != config.identity
        if held, !leading, let observedAt {
            let validFor = Duration.seconds(max(1, current.leaseDurationSeconds))
            if clock.now() - observedAt < validFor { return false }
        }
        if held, leading { return false }  // someone else took it: we lost it
        var next = current
        next.holderIdentity = config.identity
        next.leaseDurationSeconds = durationSeconds
        next.renewTime = now
        if current.holderIdentity != config.identity {
            next.acquireTime = now
            next.leaseTransitions = current.leaseTransitions + 1
        }
        do {
            observe(try await store.update(next))
            return true
        } catch where Self.isConflict(error) {
            return false  // another replica wrote first
        }
    }

    /// Gives the lease up: empty holder and a one-second duration, so the next candidate takes it at once.
    private func release() async {
        guard let observed = state.withLock({ $0.observed }), observed.holderIdentity == config.identity else { return }
        var released = observed
        released.holderIdentity = ""
        released.leaseDurationSeconds = 1
        released.renewTime = Date()
        released.acquireTime = Date()
        let record = released
        do {
            observe(try await withDeadline(config.renewDeadline) { try await self.store.update(record) })
            logger.info("Released the lease")
        } catch {
            logger.error("Could not release the lease; the next leader waits for it to expire", ["error": .error(error)])
        }
    }

    /// A 409 from the store (stale resourceVersion or already exists), however the store reports it.
    static func isConflict(_ error: any Error) -> Bool {
        if let e = error as? KubeClientError { return e.code == 409 }
        if let s = error as? APIStatus { return s.code == 409 }
        return false
    }

    private func observe(_ record: LeaseRecord) {
        let now = clock.now()
        state.withLock { s in
            if s.observed != record {
                s.observed = record
                s.observedAt = now
            }
        }
    }

    private func setLeading(_ leading: Bool) {
        state.withLock { $0.leading = leading }
        status?.set(leading ? 1 : 0)
    }
}
