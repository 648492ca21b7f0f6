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

/// `spec.alerting.alertmanager` and `spec.alerting.receivers[]`: defaulting, decoding and the errors naming the field.
@Suite struct ModelAlertmanagerTests {
    private func load(_ alerting: JSONValue) -> Result<IncidentPlatform, PlatformValidationErrors> {
        PlatformSpecLoader.load(["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform",
                                 "metadata": ["name": "demo", "namespace": "ops"], "spec": ["alerting": alerting]])
    }

    private func problems(_ alerting: JSONValue) -> [String] {
        if case .failure(let e) = load(alerting) { return e.messages }
        return []
    }

    @Test func defaultsAndDecoding() throws {
        let spec = try load([:]).get().spec.alerting
        #expect(spec.alertmanager == AlertmanagerSpec())
        #expect(spec.alertmanager.replicas == 1)
        #expect(spec.receivers.isEmpty)
        let decoded = try load(["alertmanager": ["replicas": 3], "receivers": [
            ["name": "s", "matchers": [#"severity="critical""#],
             "slack": ["channel": "#x", "apiURLSecretRef": ["name": "sec", "key": "url"]]],
            ["name": "w", "webhook": ["url": "https://example.com/hook"]],
            ["name": "m", "email": ["to": "a@example.com", "from": "b@example.com", "smarthost": "smtp.example.com:587"]],
        ]]).get().spec.alerting
        #expect(decoded.alertmanager.replicas == 3)
        #expect(decoded.receivers == [
            AlertReceiverSpec(name: "s", matchers: [#"severity="critical""#],
                              target: .slack(channel: "#x", apiURL: SecretKeyReference(name: "sec", key: "url"))),
            AlertReceiverSpec(name: "w", target: .webhook(url: "https://example.com/hook")),
            AlertReceiverSpec(name: "m", target: .email(to: "a@example.com", from: "b@example.com", smarthost: "smtp.example.com:587",
                                                        authUsername: nil, authPassword: nil)),
        ])
    }

    @Test func errorsNameTheField() {
        #expect(problems(["receivers": [["name": "x", "matchers": ["severity critical"], "webhook": ["url": "https://e.com/"]]]])
            .contains { $0.hasPrefix("spec.alerting.receivers[0].matchers[0]: must be an Alertmanager matcher") })
        #expect(problems(["receivers": [["name": "x"]]])
            == ["spec.alerting.receivers[0]: must set exactly one of slack, email, webhook, pagerduty, got none"])
        #expect(problems(["receivers": [["name": "x", "webhook": ["url": "https://e.com/"],
                                         "pagerduty": ["routingKeySecretRef": ["name": "p", "key": "k"]]]]])
            == ["spec.alerting.receivers[0]: must set exactly one of slack, email, webhook, pagerduty, got webhook and pagerduty"])
        #expect(problems(["receivers": [["name": "null", "webhook": ["url": "https://e.com/"]]]])
            == [#"spec.alerting.receivers[0].name: "null" is the platform's own receiver; choose another name"#])
        #expect(problems(["receivers": [["name": "x", "slack": ["channel": "#x", "apiURLSecretRef": ["name": "s"]]]]])
            == ["spec.alerting.receivers[0].slack.apiURLSecretRef.key: is required"])
        #expect(problems(["receivers": [["name": "x", "email": ["to": "a@b", "from": "c@d", "smarthost": "smtp.example.com"]]]])
            .contains { $0.hasPrefix("spec.alerting.receivers[0].email.smarthost: must be host:port") })
        #expect(problems(["receivers": [["name": "a", "webhook": ["url": "https://e.com/"]], ["name": "a", "webhook": ["url": "https://e.com/"]]]])
            .contains { $0.hasPrefix("spec.alerting.receivers[1].name: duplicate name") })
        #expect(problems(["alertmanager": ["replicas": 0]]).contains { $0.hasPrefix("spec.alerting.alertmanager.replicas:") })
        for good in [#"severity="critical""#, #"namespace!="dev""#, #"alertname=~"Kube.*""#, "team=sre", #"a!~"x\"y""#] {
            #expect(problems(["receivers": [["name": "x", "matchers": [.string(good)], "webhook": ["url": "https://e.com/"]]]]) == [], "\(good)")
        }
    }
}
