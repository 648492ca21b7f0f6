import Testing
@testable import IncidentCore

@Suite struct IncidentStatusTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var status: IncidentStatus
        var transition: IncidentTransition
        var expected: TransitionResult
        var testDescription: String { "\(status.rawValue) + \(transition.rawValue)" }
    }

    static let transitions: [Row] = [
        Row(status: .triggered, transition: .acknowledge, expected: .changed(.acknowledged)),
        Row(status: .acknowledged, transition: .acknowledge, expected: .unchanged),
        Row(status: .resolved, transition: .acknowledge, expected: .conflict("incident is resolved: it can no longer be acknowledged")),
        Row(status: .triggered, transition: .resolve, expected: .changed(.resolved)),
        Row(status: .acknowledged, transition: .resolve, expected: .changed(.resolved)),
        Row(status: .resolved, transition: .resolve, expected: .unchanged),
    ]

    @Test(arguments: transitions)
    func transition(_ row: Row) {
        #expect(row.status.applying(row.transition) == row.expected)
    }

    @Test func theTableCoversEveryStatusAndTransition() {
        let covered = Set(Self.transitions.map(\.testDescription))
        #expect(covered.count == IncidentStatus.allCases.count * 2)
    }

    @Test func onlyResolvedIsClosed() {
        #expect(IncidentStatus.triggered.isOpen)
        #expect(IncidentStatus.acknowledged.isOpen)
        #expect(!IncidentStatus.resolved.isOpen)
    }

    @Test func timelineKindsAreStoredInSnakeCase() {
        #expect(TimelineKind.allCases.map(\.rawValue)
                == ["created", "alert_repeated", "acknowledged", "note", "resolved", "alert_resolved"])
    }
}
