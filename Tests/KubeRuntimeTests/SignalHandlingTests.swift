import Foundation
import Testing
@testable import KubeRuntime
#if canImport(Glibc)
import Glibc
@testable import Signals
#endif

@Suite("Signal handling")
struct SignalHandlingTests {
    @Test func aSignalTriggersTheShutdownSignal() async {
        let shutdown = SignalHandling.shutdownSignal(on: [SIGUSR2], exitOnSecondSignal: false)
        #expect(shutdown.isTriggered == false)
        kill(getpid(), SIGUSR2)
        #expect(await eventually { shutdown.isTriggered })
        #expect(shutdown.reason == "received signal SIGUSR2")
        let other = SignalHandling.shutdownSignal(on: [SIGUSR2, SIGUSR1], exitOnSecondSignal: false)
        kill(getpid(), SIGUSR1)
        #expect(await eventually { other.isTriggered })
        #expect(other.reason == "received signal SIGUSR1")
        #expect(shutdown.reason == "received signal SIGUSR2")   // the first subscriber ignores SIGUSR1
    }
}
