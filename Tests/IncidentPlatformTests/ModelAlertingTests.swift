import Testing
import KubeCore
@testable import IncidentPlatform

/// `spec.alerting` and `spec.slo`: defaults, decoding and the errors that name the field.
@Suite struct ModelAlertingTests {
    private func load(_ spec: JSONValue) -> Result<IncidentPlatform, PlatformValidationErrors> {
        PlatformSpecLoader.load(["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform",
                                 "metadata": ["name": "demo", "namespace": "ops"], "spec": spec])
    }

    private func problems(_ spec: JSONValue) -> [String] {
        switch load(spec) {
        case .success: []
        case .failure(let e): e.messages
        }
    }

    @Test func defaults() {
        let spec = IncidentPlatformSpec()
        #expect(spec.alerting.enabled)
        #expect(spec.alerting.runbookBaseURL == "https://github.com/incidentops/incident-operator/blob/main/docs/runbooks/")
        for service in PlatformService.allCases {
            #expect(spec.slo[service].availability.objective == 99.9)
            #expect(spec.slo[service].latency.objective == 99)
            #expect(spec.slo[service].latency.thresholdSeconds == 0.5)
        }
    }

    @Test func decodesIntegersAndDecimals() throws {
        let loaded = try load([
            "alerting": ["enabled": false, "runbookBaseURL": "http://wiki.local/rb/"],
            "slo": ["webUI": ["availability": ["objective": 99.5], "latency": ["objective": 95, "thresholdSeconds": 1]]],
        ]).get()
        #expect(loaded.spec.alerting == AlertingSpec(enabled: false, runbookBaseURL: "http://wiki.local/rb/"))
        #expect(loaded.spec.slo.webUI == ServiceSLOSpec(availability: AvailabilityObjective(objective: 99.5),
                                                       latency: LatencyObjective(objective: 95, thresholdSeconds: 1)))
        #expect(loaded.spec.slo.alertIngestion == ServiceSLOSpec())
    }

    @Test func errorsNameTheField() {
        #expect(problems(["alerting": ["runbookBaseURL": "https://wiki.local/rb"]]).first?
            .hasPrefix(#"spec.alerting.runbookBaseURL: must be an http(s) URL ending in "/""#) == true)
        #expect(problems(["alerting": ["runbookBaseURL": "ftp://wiki.local/rb/"]]).count == 1)
        #expect(problems(["slo": ["webUI": ["availability": ["objective": 100]]]])
            == ["spec.slo.webUI.availability.objective: must be between 50 and 99.999, got 100"])
        #expect(problems(["slo": ["oncallService": ["latency": ["objective": "high"]]]])
            == [#"spec.slo.oncallService.latency.objective: must be a number, got string "high""#])
        let bucket = problems(["slo": ["alertIngestion": ["latency": ["thresholdSeconds": 0.3]]]])
        #expect(bucket.count == 1)
        #expect(bucket.first?.hasPrefix("spec.slo.alertIngestion.latency.thresholdSeconds: must be one of the bucket bounds of http_request_duration_seconds (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), got 0.3") == true)
        #expect(problems(["slo": ["webUI": ["window": "7d"]]]).first?.hasPrefix("spec.slo.webUI.window: unknown field") == true)
    }
}
