import Foundation
import KubeCore
import Testing
@testable import KubeRuntime
import Metrics
@testable import Signals

@Suite("Leader election")
struct LeaderElectorTests {
    @Test func aLoneCandidateCreatesTheLeaseLeadsAndReleasesOnShutdown() async throws {
        let store = InMemoryLeaseStore()
        let registry = MetricsRegistry()
        let elector = LeaderElector(config: fastLeaderConfig("a"), store: store, metrics: registry)
        let log = LeadershipLog()
        let stop = ShutdownSignal()
        let run = campaign(elector, log, until: stop)
        #expect(await eventually { await log.started == 1 })
        #expect(elector.isLeader)
        #expect(try PrometheusText.parse(registry.exposition())["leader_election_master_status{name=\"lock\"}"] == 1)
        let held = try #require(await store.record)
        #expect(held.holderIdentity == "a")
        #expect(held.leaseDurationSeconds == 1)
        #expect(held.leaseTransitions == 0)
        #expect(held.acquireTime != nil)
        #expect(await eventually { await store.writes >= 3 })   // renewals
        let renewed = try #require(await store.record)
        #expect(renewed.acquireTime == held.acquireTime)
        #expect(renewed.renewTime != held.renewTime)
        stop.trigger(reason: "SIGTERM")
        await run.value
        #expect(await log.ended == 1)
        #expect(await log.reasons == ["SIGTERM"])
        #expect(await log.cancelled == [false])                 // shutdown lets the work finish
        let released = try #require(await store.record)
        #expect(released.holderIdentity == "")
        #expect(released.leaseDurationSeconds == 1)
        #expect(elector.isLeader == false)
        #expect(try PrometheusText.parse(registry.exposition())["leader_election_master_status{name=\"lock\"}"] == 0)
    }

    @Test func onlyOneOfTwoCandidatesLeads() async throws {
        let store = InMemoryLeaseStore()
        let a = LeaderElector(config: fastLeaderConfig("a", lease: .seconds(60)), store: store)
        let b = LeaderElector(config: fastLeaderConfig("b", lease: .seconds(60)), store: store)
        let logA = LeadershipLog(), logB = LeadershipLog()
        let stop = ShutdownSignal()
        let runA = campaign(a, logA, until: stop)
        let runB = campaign(b, logB, until: stop)
        #expect(await eventually { await store.writes >= 10 })  // several retry periods of renewals and attempts
        #expect(a.isLeader != b.isLeader)
        #expect(await logA.started + logB.started == 1)
        stop.trigger()
        await runA.value
        await runB.value
    }

    @Test func aCandidateTakesOverAfterTheLeaderDiesWithoutReleasing() async throws {
        let store = InMemoryLeaseStore()
        let a = LeaderElector(config: fastLeaderConfig("a"), store: store)
        let b = LeaderElector(config: fastLeaderConfig("b"), store: store)
        let logA = LeadershipLog(), logB = LeadershipLog()
        let stop = ShutdownSignal()
        let runA = campaign(a, logA, until: stop)
        #expect(await eventually { await logA.started == 1 })
        let runB = campaign(b, logB, until: stop)
        runA.cancel()                                   // like SIGKILL: no release
        await runA.value
        #expect(await store.record?.holderIdentity == "a")
        #expect(await eventually { await logB.started == 1 })   // after the 1 s lease expired
        let record = try #require(await store.record)
        #expect(record.holderIdentity == "b")
        #expect(record.leaseTransitions == 1)
        stop.trigger()
        await runB.value
    }

    @Test func aReleasedLeaseIsTakenWithoutWaitingForExpiry() async throws {
        let store = InMemoryLeaseStore()
        // A one-hour lease: without the release, b could not lead during this test.
        let a = LeaderElector(config: fastLeaderConfig("a", lease: .seconds(3600)), store: store)
        let b = LeaderElector(config: fastLeaderConfig("b", lease: .seconds(3600)), store: store)
        let logA = LeadershipLog(), logB = LeadershipLog()
        let stopA = ShutdownSignal(), stopB = ShutdownSignal()
        let runA = campaign(a, logA, until: stopA)
        #expect(await eventually { await logA.started == 1 })
        let runB = campaign(b, logB, until: stopB)
        #expect(await eventually { await store.writes >= 5 })
        #expect(await logB.started == 0)
        stopA.trigger()
        await runA.value
        #expect(await eventually { await logB.started == 1 })
        #expect(await store.record?.holderIdentity == "b")
        #expect(await store.record?.leaseTransitions == 1)
        stopB.trigger()
        await runB.value
    }

    @Test func aLeaderThatCannotRenewStopsLeadingThenCampaignsAgain() async throws {
        let store = InMemoryLeaseStore()
        let registry = MetricsRegistry()
        let a = LeaderElector(config: fastLeaderConfig("a"), store: store, metrics: registry)
        let log = LeadershipLog()
        let stop = ShutdownSignal()
        let run = campaign(a, log, until: stop)
        #expect(await eventually { await log.started == 1 })
        await store.setFailing(true)
        #expect(await eventually { await log.ended == 1 })
        #expect(a.isLeader == false)
        #expect(try PrometheusText.parse(registry.exposition())["leader_election_master_status{name=\"lock\"}"] == 0)
        #expect(await log.reasons.first?.hasPrefix("lease lost") == true)
        #expect(await eventually { await log.cancelled == [true] })   // a lost lease cancels the work
        await store.setFailing(false)
        #expect(await eventually { await log.started == 2 })   // it still holds the record, so it renews at once
        stop.trigger()
        await run.value
    }

    @Test func stoppingACandidateReturnsWithoutLeading() async throws {
        let store = InMemoryLeaseStore()
        _ = try await store.create(LeaseRecord(holderIdentity: "other", leaseDurationSeconds: 3600, renewTime: Date()))
        let b = LeaderElector(config: fastLeaderConfig("b"), store: store)
        let log = LeadershipLog()
        let stop = ShutdownSignal()
        let run = campaign(b, log, until: stop)
        #expect(await eventually { b.isLeader == false })
        stop.trigger()
        await run.value
        #expect(await log.started == 0)
        #expect(await store.record?.holderIdentity == "other")
    }

    @Test func leaseRecordsRoundTripThroughLeaseObjects() throws {
        let t = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let r = LeaseRecord(holderIdentity: "pod-1_abc", leaseDurationSeconds: 15, acquireTime: t, renewTime: t,
                            leaseTransitions: 3, resourceVersion: "42")
        let lease = r.lease(name: "incident-operator", namespace: "ops")
        #expect(lease["apiVersion"] == "coordination.k8s.io/v1")
        #expect(lease["spec", "renewTime"] == "2023-11-14T22:13:20.123456Z")
        #expect(lease["metadata", "resourceVersion"] == "42")
        let back = LeaseRecord(lease: lease)
        #expect(back.holderIdentity == "pod-1_abc")
        #expect(back.leaseTransitions == 3)
        let renew = try #require(back.renewTime)
        #expect(abs(renew.timeIntervalSince1970 - t.timeIntervalSince1970) < 1e-5)
        #expect(LeaseRecord.parseMicroTime("2023-11-14T23:13:20+01:00")?.timeIntervalSince1970 == 1_700_000_000)
        #expect(LeaseRecord.parseMicroTime("2023-11-14 23:13") == nil)
        #expect(LeaseRecord.parseMicroTime("2023-11-14T22:13:20Zjunk") == nil)
    }

    @Test func deadlinesCutHungCalls() async throws {
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(10)) { try await Task.sleep(for: .seconds(3600)); return 1 }
        }
        #expect(try await withDeadline(.seconds(60)) { 7 } == 7)
    }
}

@Suite("Shutdown signal")
struct ShutdownSignalTests {
    @Test func triggersOnceAndWakesEveryWaiter() async {
        let s = ShutdownSignal()
        let waiters = (0..<3).map { _ in Task { await s.wait() } }
        s.trigger(reason: "first")
        s.trigger(reason: "second")
        for w in waiters { await w.value }
        #expect(s.reason == "first")
        await s.wait()   // returns at once once triggered
    }

    @Test func anyTriggersWithTheFirstAndSleepIsInterrupted() async {
        let a = ShutdownSignal(), b = ShutdownSignal()
        let either = ShutdownSignal.any(a, b)
        let sleeper = Task { await either.sleep(for: .seconds(3600)) }
        b.trigger(reason: "lost")
        #expect(await sleeper.value == false)
        #expect(either.reason == "lost")
        #expect(await ShutdownSignal().sleep(for: .milliseconds(1)) == true)
    }

    @Test func waitingEndsWhenTheTaskIsCancelled() async {
        let s = ShutdownSignal()
        let w = Task { await s.wait() }
        w.cancel()
        await w.value
        #expect(s.isTriggered == false)
    }
}

/// The 15 s / 10 s / 2 s rules in logical time, with the default configuration and a manual clock.
@Suite("Leader election timing")
struct LeaderElectionTimingTests {
    /// Advances one second at a time until `condition` holds or `limit` passes; returns the time it held.
    private func advance(_ clock: ManualClock, sleepers: Int, until limit: Duration, _ condition: () async -> Bool) async -> Duration? {
        while clock.now() < limit {
            clock.advance(by: .seconds(1))
            _ = await eventually { clock.sleeping == sleepers }
            if await condition() { return clock.now() }
        }
        return nil
    }

    @Test func aCandidateWaitsTheLeaseDurationAfterTheLastChangeItSaw() async throws {
        let clock = ManualClock()
        let store = InMemoryLeaseStore()
        let config = { (id: String) in LeaderElectionConfig(name: "lock", identity: id) }   // 15 s, 10 s, 2 s
        let a = LeaderElector(config: config("a"), store: store, clock: clock)
        let b = LeaderElector(config: config("b"), store: store, clock: clock)
        let logA = LeadershipLog(), logB = LeadershipLog()
        let stop = ShutdownSignal()
        let runA = campaign(a, logA, until: stop)
        #expect(await eventually { await logA.started == 1 && clock.sleeping == 1 })
        let runB = campaign(b, logB, until: stop)
        #expect(await eventually { clock.sleeping == 2 })
        runA.cancel()                                          // a dies without releasing at t = 0
        await runA.value
        #expect(await eventually { clock.sleeping == 1 })
        let tookOver = await advance(clock, sleepers: 1, until: .seconds(30)) { b.isLeader }
        let t = try #require(tookOver)
        #expect(t >= .seconds(15))                             // never before the lease expired
        #expect(t <= .seconds(18))                             // within one retry period (2 s + 20 % jitter) after
        #expect(await store.record?.holderIdentity == "b")
        stop.trigger()
        await runB.value
    }

    @Test func aLeaderStopsLeadingExactlyAtTheRenewDeadline() async throws {
        let clock = ManualClock()
        let store = InMemoryLeaseStore()
        let a = LeaderElector(config: LeaderElectionConfig(name: "lock", identity: "a"), store: store, clock: clock)
        let log = LeadershipLog()
        let stop = ShutdownSignal()
        let run = campaign(a, log, until: stop)
        #expect(await eventually { await log.started == 1 && clock.sleeping == 1 })
        await store.setFailing(true)                           // renewals fail from t = 0
        let lost = await advance(clock, sleepers: 1, until: .seconds(30)) { !a.isLeader }
        #expect(lost == .seconds(10))
        #expect(await eventually { await log.ended == 1 })
        stop.trigger()
        await run.value
    }

    @Test func aHealthyLeaderKeepsTheLeaseIndefinitely() async throws {
        let clock = ManualClock()
        let store = InMemoryLeaseStore()
        let a = LeaderElector(config: LeaderElectionConfig(name: "lock", identity: "a"), store: store, clock: clock)
        let b = LeaderElector(config: LeaderElectionConfig(name: "lock", identity: "b"), store: store, clock: clock)
        let logA = LeadershipLog(), logB = LeadershipLog()
        let stop = ShutdownSignal()
        let runA = campaign(a, logA, until: stop)
        #expect(await eventually { await logA.started == 1 && clock.sleeping == 1 })
        let runB = campaign(b, logB, until: stop)
        #expect(await eventually { clock.sleeping == 2 })
        let changed = await advance(clock, sleepers: 2, until: .seconds(60)) { !a.isLeader || b.isLeader }
        #expect(changed == nil)                                // a minute of renewals: b never takes over
        #expect(await logB.started == 0)
        stop.trigger()
        await runA.value
        await runB.value
    }
}
