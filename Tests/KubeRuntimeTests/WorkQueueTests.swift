import Foundation
import Testing
@testable import KubeRuntime

/// Records the hooks a work queue calls.
final class RecordingQueueMetrics: WorkQueueMetrics, @unchecked Sendable {
    private let lock = NSLock()
    private var _adds = 0, _retries = 0, _queued = 0, _worked = 0, _depth = -1
    func depthChanged(to depth: Int) { lock.withLock { _depth = depth } }
    func added() { lock.withLock { _adds += 1 } }
    func retried() { lock.withLock { _retries += 1 } }
    func queued(seconds: Double) { lock.withLock { _queued += 1 } }
    func worked(seconds: Double) { lock.withLock { _worked += 1 } }
    var snapshot: (adds: Int, retries: Int, queued: Int, worked: Int, depth: Int) {
        lock.withLock { (_adds, _retries, _queued, _worked, _depth) }
    }
}

@Suite("Work queue")
struct WorkQueueTests {
    @Test func deduplicatesKeysWaitingInTheQueue() async {
        let metrics = RecordingQueueMetrics()
        let q = WorkQueue(name: "t", metrics: metrics)
        await q.add("ns/a")
        await q.add("ns/a")
        await q.add("ns/b")
        #expect(await q.depth == 2)
        #expect(await q.next() == "ns/a")
        #expect(await q.next() == "ns/b")
        #expect(metrics.snapshot.adds == 2)
        #expect(metrics.snapshot.queued == 2)
        #expect(metrics.snapshot.depth == 0)
    }

    @Test func aKeyInFlightIsNotHandedOutAgainUntilDone() async {
        let q = WorkQueue(name: "t")
        await q.add("k")
        #expect(await q.next() == "k")
        await q.add("k")            // re-added while a worker holds it
        await q.add("other")
        #expect(await q.depth == 1)
        #expect(await q.next() == "other")
        await q.done("k")           // now it is queued again
        #expect(await q.depth == 1)
        #expect(await q.next() == "k")
        #expect(await q.inFlight == 2)
    }

    @Test func concurrentWorkersNeverHoldTheSameKey() async {
        let q = WorkQueue(name: "t")
        let tracker = InFlightTracker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await q.next() {
                        await tracker.begin(key)
                        await Task.yield()
                        await tracker.end(key)
                        await q.done(key)
                    }
                }
            }
            for round in 0..<50 {
                for k in 0..<5 { await q.add("key\(k)") }
                if round % 10 == 0 { await Task.yield() }
            }
            while true {
                let busy = await q.depth + q.inFlight
                if busy == 0 { break }
                await Task.yield()
            }
            await q.shutDown()
        }
        #expect(await tracker.overlaps == 0)
        #expect(await tracker.total >= 5)
    }

    @Test func rateLimitedAddsBackOffPerKeyAndForgetResets() async {
        let metrics = RecordingQueueMetrics()
        let q = WorkQueue(name: "t", backoff: ExponentialBackoff(base: .milliseconds(1), cap: .milliseconds(4)), metrics: metrics)
        await q.addRateLimited("k")
        await q.addRateLimited("k")
        #expect(await q.failures(of: "k") == 2)
        #expect(await q.failures(of: "other") == 0)
        #expect(await q.next() == "k")   // arrives after its delay
        await q.forget("k")
        #expect(await q.failures(of: "k") == 0)
        #expect(metrics.snapshot.retries == 2)
    }

    @Test func backoffDoublesFromFiveMillisecondsToOneThousandSeconds() {
        let b = ExponentialBackoff.workQueue
        #expect(b.delay(afterFailures: 0) == .milliseconds(5))
        #expect(b.delay(afterFailures: 1) == .milliseconds(10))
        #expect(b.delay(afterFailures: 10) == .milliseconds(5120))
        #expect(b.delay(afterFailures: 30) == .seconds(1000))
        #expect(b.delay(afterFailures: 10_000) == .seconds(1000))
        #expect(ExponentialBackoff.watch.delay(afterFailures: 2) == .milliseconds(3200))
        #expect(ExponentialBackoff.watch.delay(afterFailures: 9) == .seconds(30))
    }

    @Test func tokenBucketAllowsABurstThenSpacesTokens() {
        var bucket = TokenBucket(rate: 10, burst: 100)
        let now = ContinuousClock.now
        for _ in 0..<100 { #expect(bucket.reserve(at: now) == .zero) }
        #expect(bucket.reserve(at: now) == .milliseconds(100))
        #expect(bucket.reserve(at: now) == .milliseconds(200))
        // One second later ten tokens have come back: two paid the debt, the next is free.
        #expect(bucket.reserve(at: now.advanced(by: .seconds(1))) == .zero)
    }

    @Test func delayedAddKeepsTheEarlierDeadline() async {
        let q = WorkQueue(name: "t")
        await q.add("k", after: .seconds(3600))
        #expect(await q.isScheduled("k"))
        await q.add("k", after: .milliseconds(1))
        #expect(await q.next() == "k")
        #expect(await !q.isScheduled("k"))
        await q.done("k")
        await q.add("k", after: .milliseconds(1))
        await q.add("k", after: .seconds(3600))  // later: ignored
        #expect(await q.next() == "k")
    }

    @Test func shutDownStopsHandingOutAndWaitsForInFlightWork() async {
        let metrics = RecordingQueueMetrics()
        let q = WorkQueue(name: "t", metrics: metrics)
        await q.add("a")
        await q.add("b")
        #expect(await q.next() == "a")
        let waiter = Task { await q.waitUntilIdle(timeout: .seconds(60)) }
        await q.shutDown()
        #expect(await q.next() == nil)          // "b" is not handed out
        await q.add("c")
        #expect(await q.depth == 1)              // adds after shutdown are ignored
        await q.done("a")
        #expect(await waiter.value == true)
        #expect(metrics.snapshot.worked == 1)
    }

    @Test func waitUntilIdleGivesUpAfterItsTimeout() async {
        let q = WorkQueue(name: "t")
        await q.add("stuck")
        _ = await q.next()
        #expect(await q.waitUntilIdle(timeout: .milliseconds(10)) == false)
    }

    @Test func aWaitingWorkerIsReleasedByShutDownAndByCancellation() async {
        let q = WorkQueue(name: "t")
        let cancelled = Task { await q.next() }
        cancelled.cancel()
        #expect(await cancelled.value == nil)
        let waiting = Task { await q.next() }
        while await q.isShuttingDown == false {
            await Task.yield()
            await q.shutDown()
        }
        #expect(await waiting.value == nil)
    }
}

actor InFlightTracker {
    private var current: Set<String> = []
    private(set) var overlaps = 0
    private(set) var total = 0
    func begin(_ key: String) {
        if current.contains(key) { overlaps += 1 }
        current.insert(key)
        total += 1
    }
    func end(_ key: String) { current.remove(key) }
}
