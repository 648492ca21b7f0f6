import Foundation
import Testing
@testable import KubeCore

@Suite struct ConditionTests {
    let t0 = Date(timeIntervalSince1970: 1_714_564_800)   // 2024-05-01T12:00:00Z
    let t1 = Date(timeIntervalSince1970: 1_714_568_400.7)

    @Test func jsonRoundTrip() throws {
        let c = Condition(type: "Ready", status: .true, observedGeneration: 3, lastTransitionTime: t0,
                          reason: "AllComponentsReady", message: "10/10 components ready")
        #expect(c.json == [
            "type": "Ready", "status": "True", "observedGeneration": 3, "lastTransitionTime": "2024-05-01T12:00:00Z",
            "reason": "AllComponentsReady", "message": "10/10 components ready",
        ])
        #expect(try Condition(json: c.json) == c)
        let fractional: JSONValue = ["type": "A", "status": "Unknown", "lastTransitionTime": "2024-05-01T12:00:00.250Z", "reason": "R"]
        #expect(try Condition(json: fractional).lastTransitionTime == t0)
    }

    @Test func timesAreTruncatedToSeconds() {
        #expect(Condition(type: "A", status: .true, lastTransitionTime: t1, reason: "R").lastTransitionTime
                == Date(timeIntervalSince1970: 1_714_568_400))
    }

    @Test func malformedJSONNamesTheField() {
        #expect(throws: ConditionDecodingError(field: "status", problem: "must be True, False or Unknown")) {
            try Condition(json: ["type": "Ready", "status": "yes", "lastTransitionTime": "2024-05-01T12:00:00Z", "reason": "R"])
        }
        #expect(throws: ConditionDecodingError(field: "type", problem: "missing or not a string")) {
            try Condition(json: ["status": "True"])
        }
        #expect(throws: ConditionDecodingError(field: "lastTransitionTime", problem: "must be an RFC 3339 time like 2024-05-01T12:00:00Z")) {
            try Condition(json: ["type": "Ready", "status": "True", "lastTransitionTime": "yesterday", "reason": "R"])
        }
    }

    @Test func setConditionKeepsTheTransitionTimeUnlessTheStatusFlips() {
        var list: [Condition] = []
        var changed = list.setCondition(Condition(type: "Ready", status: .false, lastTransitionTime: t0, reason: "Starting"))
        #expect(changed)
        // Same status, new reason and time: reason changes, the transition time stays.
        changed = list.setCondition(Condition(type: "Ready", status: .false, lastTransitionTime: t1, reason: "Waiting"))
        #expect(changed)
        #expect(list.condition(ofType: "Ready")?.lastTransitionTime == t0)
        #expect(list.condition(ofType: "Ready")?.reason == "Waiting")
        // Nothing but the time differs: no change.
        changed = list.setCondition(Condition(type: "Ready", status: .false, lastTransitionTime: t1, reason: "Waiting"))
        #expect(!changed)
        // The status flips: the new time is kept.
        changed = list.setCondition(Condition(type: "Ready", status: .true, lastTransitionTime: t1, reason: "AllReady"))
        #expect(changed)
        #expect(list.condition(ofType: "Ready")?.lastTransitionTime == Date(timeIntervalSince1970: 1_714_568_400))
        list.setCondition(Condition(type: "Degraded", status: .false, lastTransitionTime: t0, reason: "AsExpected"))
        #expect(list.map(\.type) == ["Ready", "Degraded"])
    }
}
