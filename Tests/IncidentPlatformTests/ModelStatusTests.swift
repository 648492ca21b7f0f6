import Foundation
import Testing
import KubeCore
@testable import IncidentPlatform

@Suite struct ModelStatusTests {
    let time = Date(timeIntervalSince1970: 1_714_564_800)

    var sample: IncidentPlatformStatus {
        IncidentPlatformStatus(
            observedGeneration: 4, phase: .progressing,
            conditions: [
                Condition(type: PlatformConditionType.ready, status: .false, observedGeneration: 4, lastTransitionTime: time,
                          reason: "ComponentsNotReady", message: "web-ui: 0/1 ready"),
                Condition(type: PlatformConditionType.specValid, status: .true, observedGeneration: 4, lastTransitionTime: time,
                          reason: "Valid"),
            ],
            components: [
                "web-ui": ComponentStatus(ready: 0, desired: 1, message: "0/1 replicas ready"),
                "postgres": ComponentStatus(ready: 1, desired: 1),
                "promtail": ComponentStatus(ready: 3, desired: 3),
            ])
    }

    @Test func readyCountsReadyComponents() {
        #expect(sample.ready == "2/3")
        #expect(IncidentPlatformStatus().ready == "0/0")
    }

    @Test func jsonShape() {
        let json = sample.json
        #expect(json["observedGeneration"] == 4)
        #expect(json["phase"] == "Progressing")
        #expect(json["ready"] == "2/3")
        #expect(json["components", "web-ui"] == ["ready": 0, "desired": 1, "message": "0/1 replicas ready"])
        #expect(json["conditions"]?.arrayValue?.map { $0["type"] } == ["Ready", "SpecValid"])
    }

    @Test func jsonRoundTrip() throws {
        #expect(try IncidentPlatformStatus(json: sample.json) == sample)
        #expect(try IncidentPlatformStatus(json: nil) == IncidentPlatformStatus())
        #expect(throws: StatusDecodingError(field: "status.phase", problem: "unknown phase \"Done\"")) {
            try IncidentPlatformStatus(json: ["phase": "Done"])
        }
    }

    @Test func statusJSONMatchesTheCRDStatusSchema() {
        // Every key the controller writes is declared in the CRD (or the API server would prune it).
        let schema = IncidentPlatformStatusSchema.status
        let json = sample.json
        let written = Set(json.objectValue.map { Array($0.keys) } ?? [])
        #expect(written.isSubset(of: Set(schema.properties.map(\.name))))
        let conditionFields = Set(IncidentPlatformStatusSchema.condition.properties.map(\.name))
        for c in json["conditions"]?.arrayValue ?? [] {
            let keys = Set(c.objectValue.map { Array($0.keys) } ?? [])
            #expect(keys.isSubset(of: conditionFields))
        }
        var errors: [PlatformValidationError] = []
        _ = schema.defaulted(json, at: "status", errors: &errors)
        #expect(errors == [])
    }
}
