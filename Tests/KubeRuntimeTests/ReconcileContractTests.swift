import Testing
@testable import KubeRuntime

@Suite("Reconcile contract")
struct ReconcileContractTests {
    struct Missing: Error {}

    @Test func terminalErrorsAreNeverRetriedWhateverThePolicySays() {
        let policy = ErrorPolicy { _, _ in .requeue(after: .seconds(1)) }
        #expect(policy.decision(for: TerminalError("spec.size: must be > 0"), key: "ns/a") == .doNotRetry)
        #expect(policy.decision(for: Missing(), key: "ns/a") == .requeue(after: .seconds(1)))
        #expect(ErrorPolicy.default.decision(for: Missing(), key: "ns/a") == .retryWithBackoff)
        #expect(ErrorPolicy.default.decision(for: TerminalError("x"), key: "ns/a") == .doNotRetry)
    }

    @Test func terminalErrorsNameTheirCause() {
        #expect(TerminalError("spec invalid", underlying: TerminalError("inner")).description == "spec invalid: inner")
        #expect(TerminalError("spec invalid").description == "spec invalid")
    }

    @Test func actionsDescribeThemselves() {
        #expect(Action.requeue(after: .milliseconds(1500)).description == "requeue(after: 1.5s)")
        #expect(Action.awaitChange.description == "awaitChange")
        #expect(Action.requeue(after: .seconds(1)) != .awaitChange)
    }
}
