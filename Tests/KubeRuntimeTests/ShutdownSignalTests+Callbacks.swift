import Testing
@testable import KubeRuntime
import Locking
@testable import Signals

/// The callbacks of ``ShutdownSignal`` (the suite is in LeaderElectorTests.swift).
extension ShutdownSignalTests {
    @Test func aTriggeredCombinationLeavesNoCallbackOnTheLongLivedSignal() {
        let stop = ShutdownSignal()
        for term in 0..<100 {
            let lost = ShutdownSignal()
            let leading = ShutdownSignal.any(lost, stop)
            lost.trigger(reason: "lost the lease in term \(term)")
            #expect(leading.isTriggered)
            #expect(leading.reason == "lost the lease in term \(term)")
        }
        #expect(stop.callbackCount == 0)
    }

    @Test func aCombinationFollowsEachOfItsSignals() {
        let stop = ShutdownSignal()
        let lost = ShutdownSignal()
        let leading = ShutdownSignal.any(lost, stop)
        #expect(!leading.isTriggered)
        #expect(stop.callbackCount == 1)
        stop.trigger(reason: "SIGTERM")
        #expect(leading.reason == "SIGTERM")
        #expect(lost.callbackCount == 0)
        // Combining an already triggered signal triggers at once.
        #expect(ShutdownSignal.any(ShutdownSignal(), stop).reason == "SIGTERM")
    }

    @Test func callbacksRunOnceInTheOrderTheyWereAdded() {
        let signal = ShutdownSignal()
        let calls = Locked<[Int]>([])
        for i in 0..<5 { signal.onTrigger { calls.withLock { $0.append(i) } } }
        signal.trigger()
        signal.trigger()
        #expect(calls.withLock { $0 } == [0, 1, 2, 3, 4])
        signal.onTrigger { calls.withLock { $0.append(5) } }
        #expect(calls.withLock { $0 } == [0, 1, 2, 3, 4, 5])
    }
}
