import KubeCore
@testable import KubeRuntime
import Signals

/// One Lease in memory with resourceVersion preconditions, and an outage switch.
actor InMemoryLeaseStore: LeaseStore {
    private(set) var record: LeaseRecord?
    private var version = 0
    private(set) var writes = 0
    var failing = false

    func setFailing(_ f: Bool) { failing = f }

    func get() async throws -> LeaseRecord? {
        if failing { throw InjectedDisconnect() }
        return record
    }

    func create(_ r: LeaseRecord) async throws -> LeaseRecord {
        if failing { throw InjectedDisconnect() }
        guard record == nil else { throw APIStatus.alreadyExists(resource: "leases", name: "lock", group: "coordination.k8s.io") }
        return store(r)
    }

    func update(_ r: LeaseRecord) async throws -> LeaseRecord {
        if failing { throw InjectedDisconnect() }
        guard let current = record, current.resourceVersion == r.resourceVersion else {
            throw APIStatus.conflict(resource: "leases", name: "lock", group: "coordination.k8s.io")
        }
        return store(r)
    }

    private func store(_ r: LeaseRecord) -> LeaseRecord {
        version += 1
        writes += 1
        var stored = r
        stored.resourceVersion = String(version)
        record = stored
        return stored
    }
}

/// Counts how often a replica started and stopped leading.
actor LeadershipLog {
    private(set) var started = 0
    private(set) var ended = 0
    private(set) var reasons: [String] = []
    private(set) var cancelled: [Bool] = []
    func start() { started += 1 }
    func end(_ reason: String, cancelled: Bool) {
        ended += 1
        reasons.append(reason)
        self.cancelled.append(cancelled)
    }
}

func fastLeaderConfig(_ identity: String, lease: Duration = .seconds(1)) -> LeaderElectionConfig {
    var c = LeaderElectionConfig(name: "lock", identity: identity)
    c.leaseDuration = lease
    c.renewDeadline = .milliseconds(300)
    c.retryPeriod = .milliseconds(20)
    return c
}

/// Runs an elector whose leading work waits for its signal and records start and end.
func campaign(_ elector: LeaderElector, _ log: LeadershipLog, until stop: ShutdownSignal) -> Task<Void, Never> {
    Task {
        await elector.run(until: stop) { leading in
            await log.start()
            await leading.wait()
            await log.end(leading.reason, cancelled: Task.isCancelled)
        }
    }
}
