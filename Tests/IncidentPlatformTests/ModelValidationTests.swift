import Testing
import KubeCore
@testable import IncidentPlatform

/// A platform object with the given spec.
private func platform(_ spec: JSONValue?, name: JSONValue = "demo") -> JSONValue {
    var o: JSONValue = ["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform",
                        "metadata": ["name": name, "namespace": "incident-platform"]]
    if let spec { o["spec"] = spec }
    return o
}

/// The messages the loader reports for an object ([] when it loads).
private func problems(_ object: JSONValue) -> [String] {
    switch PlatformSpecLoader.load(object) {
    case .success: return []
    case .failure(let e): return e.messages
    }
}

@Suite struct ModelValidationTests {
    @Test func nameOnlyGetsEveryDefault() throws {
        let loaded = try PlatformSpecLoader.load(platform(nil)).get()
        #expect(loaded.name == "demo")
        #expect(loaded.namespace == "incident-platform")
        #expect(loaded.spec == IncidentPlatformSpec())
        let nullSpec = try PlatformSpecLoader.load(platform(.null)).get()
        #expect(nullSpec.spec == IncidentPlatformSpec())
    }

    @Test func namespaceFallsBackToTheGivenDefault() throws {
        var o = platform(nil)
        o["metadata", "namespace"] = nil
        #expect(try PlatformSpecLoader.load(o, defaultNamespace: "ops").get().namespace == "ops")
    }

    @Test func partialOverridesKeepTheOtherDefaults() throws {
        let spec = try PlatformSpecLoader.load(platform([
            "services": ["webUI": ["port": 3000, "resources": ["limits": ["cpu": 1]],
                                   "autoscaling": ["maxReplicas": 8], "env": [["name": "A", "value": "b"]]]],
            "database": ["storage": ["size": "20Gi", "deletionPolicy": "Delete", "storageClassName": "fast"]],
            "monitoring": ["prometheus": ["scrapeInterval": "30s"], "grafana": ["enabled": false]],
            "disruptionBudget": ["maxUnavailable": "25%"],
        ])).get().spec
        let web = spec.services.webUI
        #expect(web.port == 3000)
        #expect(web.readinessPath == "/ready")
        #expect(web.resources.limits.cpu == (try Quantity(parsing: "1")))
        #expect(web.resources.limits.memory == ResourceRequirements.defaults(for: .webUI).limits.memory)
        #expect(web.autoscaling == AutoscalingSpec(maxReplicas: 8))
        #expect(web.env == [EnvVar(name: "A", value: "b")])
        #expect(spec.services.alertIngestion == .defaults(for: .alertIngestion))
        #expect(spec.database.storage == DatabaseStorageSpec(size: try Quantity(parsing: "20Gi"), storageClassName: "fast", deletionPolicy: .delete))
        #expect(spec.monitoring.prometheus.scrapeInterval == .seconds(30))
        #expect(spec.monitoring.prometheus.retention.description == "15d")
        #expect(!spec.monitoring.grafana.enabled)
        #expect(spec.monitoring.loki.enabled)
        #expect(spec.disruptionBudget.maxUnavailable == .percent(25))
    }

    /// Each bad input with the exact message it must produce (and nothing else).
    static let badSpecs: [(String, JSONValue, String)] = [
        ("min > max", ["services": ["webUI": ["autoscaling": ["minReplicas": 6, "maxReplicas": 5]]]],
         "spec.services.webUI.autoscaling: minReplicas (6) must be <= maxReplicas (5)"),
        ("size as integer", ["database": ["storage": ["size": 10]]],
         #"spec.database.storage.size: must be a string like "10Gi", got integer 10"#),
        ("typo in monitoring", ["monitoring": ["grafanna": ["enabled": false]]],
         #"spec.monitoring.grafanna: unknown field; known fields are: prometheus, grafana, loki, promtail, nodeExporter (did you mean "grafana"?)"#),
        ("unknown field without suggestion", ["services": ["webUI": ["colour": "blue"]]],
         "spec.services.webUI.colour: unknown field; known fields are: image, port, readinessPath, replicas, resources, env, autoscaling"),
        ("relative readiness path", ["services": ["webUI": ["readinessPath": "ready"]]],
         #"spec.services.webUI.readinessPath: must be an HTTP path starting with "/", like "/ready" or "/health" (no spaces), got "ready""#),
        ("readiness path with a space", ["services": ["alertIngestion": ["readinessPath": "/is ready"]]],
         #"spec.services.alertIngestion.readinessPath: must be an HTTP path starting with "/", like "/ready" or "/health" (no spaces), got "/is ready""#),
        ("empty readiness path", ["services": ["oncallService": ["readinessPath": ""]]],
         #"spec.services.oncallService.readinessPath: must be an HTTP path starting with "/", like "/ready" or "/health" (no spaces), got """#),
        ("api token ref without name", ["apiTokenSecretRef": [:]],
         "spec.apiTokenSecretRef.name: is required"),
        ("port zero", ["services": ["alertIngestion": ["port": 0]]],
         "spec.services.alertIngestion.port: must be between 1 and 65535, got 0"),
        ("port too high", ["services": ["oncallService": ["port": 70000]]],
         "spec.services.oncallService.port: must be between 1 and 65535, got 70000"),
        ("port as string", ["services": ["oncallService": ["port": "8000"]]],
         #"spec.services.oncallService.port: must be an integer, got string "8000""#),
        ("negative replicas", ["services": ["webUI": ["replicas": -1]]],
         "spec.services.webUI.replicas: must be between 0 and 50, got -1"),
        ("maxReplicas over the cap", ["services": ["webUI": ["autoscaling": ["maxReplicas": 500]]]],
         "spec.services.webUI.autoscaling.maxReplicas: must be between 1 and 50, got 500"),
        ("cpu percentage zero", ["services": ["incidentManagement": ["autoscaling": ["targetCPUUtilizationPercentage": 0]]]],
         "spec.services.incidentManagement.autoscaling.targetCPUUtilizationPercentage: must be between 1 and 100, got 0"),
        ("memory percentage over 100", ["services": ["incidentManagement": ["autoscaling": ["targetMemoryUtilizationPercentage": 150]]]],
         "spec.services.incidentManagement.autoscaling.targetMemoryUtilizationPercentage: must be between 1 and 100, got 150"),
        ("enabled as string", ["services": ["webUI": ["autoscaling": ["enabled": "yes"]]]],
         #"spec.services.webUI.autoscaling.enabled: must be true or false, got string "yes""#),
        ("bad cpu quantity", ["services": ["webUI": ["resources": ["requests": ["cpu": "lots"]]]]],
         #"spec.services.webUI.resources.requests.cpu: invalid quantity "lots": it does not start with a number; expected a number with an optional suffix like 500m, 2, 1.5, 100Mi, 10Gi or 1e3"#),
        ("wrong-case suffix", ["services": ["webUI": ["resources": ["limits": ["memory": "1gi"]]]]],
         #"spec.services.webUI.resources.limits.memory: invalid quantity "1gi": unknown suffix "gi" (suffixes are case-sensitive: Ki Mi Gi Ti Pi Ei, n u m k M G T P E); expected a number with an optional suffix like 500m, 2, 1.5, 100Mi, 10Gi or 1e3"#),
        ("cpu as a float", ["services": ["webUI": ["resources": ["requests": ["cpu": 0.5]]]]],
         #"spec.services.webUI.resources.requests.cpu: must be a quantity like "500m" or an integer, got number 0.5"#),
        ("request above limit", ["services": ["webUI": ["resources": ["requests": ["cpu": "2"], "limits": ["cpu": "500m"]]]]],
         "spec.services.webUI.resources: requests.cpu (2) must be <= limits.cpu (500m); raise the limit or lower the request"),
        ("zero storage", ["monitoring": ["loki": ["storage": ["size": "0Gi"]]]],
         #"spec.monitoring.loki.storage.size: must be greater than zero, got string "0Gi""#),
        ("bad duration", ["monitoring": ["prometheus": ["scrapeInterval": "15 seconds"]]],
         #"spec.monitoring.prometheus.scrapeInterval: invalid duration "15 seconds": the number 15 has no unit; expected whole numbers with units (ms, s, m, h, d, w, y) from largest to smallest, like 15s, 1m30s or 15d"#),
        ("units out of order", ["monitoring": ["prometheus": ["retention": "30m1h"]]],
         #"spec.monitoring.prometheus.retention: invalid duration "30m1h": units must appear once each, from the largest to the smallest; expected whole numbers with units (ms, s, m, h, d, w, y) from largest to smallest, like 15s, 1m30s or 15d"#),
        ("retention shorter than interval", ["monitoring": ["prometheus": ["scrapeInterval": "5m", "retention": "1m"]]],
         "spec.monitoring.prometheus: retention (1m) must be longer than scrapeInterval (5m)"),
        ("bad deletion policy", ["database": ["storage": ["deletionPolicy": "Keep"]]],
         #"spec.database.storage.deletionPolicy: must be one of Retain, Delete; got "Keep""#),
        ("image with spaces", ["services": ["webUI": ["image": "my image"]]],
         #"spec.services.webUI.image: must be an image reference like "registry.example.com/team/app:1.2.3" or "app@sha256:<64 hex digits>" (lowercase repository, no spaces), got "my image""#),
        ("image with uppercase repository", ["monitoring": ["grafana": ["image": "Grafana/grafana:11"]]],
         #"spec.monitoring.grafana.image: must be an image reference like "registry.example.com/team/app:1.2.3" or "app@sha256:<64 hex digits>" (lowercase repository, no spaces), got "Grafana/grafana:11""#),
        ("bad env name", ["services": ["alertIngestion": ["env": [["name": "1BAD", "value": "x"]]]]],
         #"spec.services.alertIngestion.env[0].name: must be a valid environment variable name: letters, digits, '_', '-' and '.', not starting with a digit, got "1BAD""#),
        ("env without name", ["services": ["alertIngestion": ["env": [["value": "x"]]]]],
         "spec.services.alertIngestion.env[0].name: is required"),
        ("duplicate env", ["services": ["alertIngestion": ["env": [["name": "A", "value": "1"], ["name": "A", "value": "2"]]]]],
         #"spec.services.alertIngestion.env[1].name: duplicate name "A" (already at index 0); each name may appear once"#),
        ("env not a list", ["services": ["alertIngestion": ["env": ["A": "1"]]]],
         "spec.services.alertIngestion.env: must be a list, got object"),
        ("services not an object", ["services": "all"],
         #"spec.services: must be an object, got string "all""#),
        ("zero maxUnavailable", ["disruptionBudget": ["maxUnavailable": 0]],
         "spec.disruptionBudget.maxUnavailable: must be at least 1, got 0"),
        ("percentage over 100", ["disruptionBudget": ["maxUnavailable": "150%"]],
         #"spec.disruptionBudget.maxUnavailable: must be a percentage from 1% to 100%, got "150%""#),
        ("maxUnavailable word", ["disruptionBudget": ["maxUnavailable": "one"]],
         #"spec.disruptionBudget.maxUnavailable: must be an integer or a percentage like "25%", got string "one""#),
        ("secret ref without name", ["database": ["credentialsSecretRef": [:]]],
         "spec.database.credentialsSecretRef.name: is required"),
        ("bad secret name", ["monitoring": ["grafana": ["adminSecretRef": ["name": "Admin_Secret"]]]],
         #"spec.monitoring.grafana.adminSecretRef.name: must be a DNS subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, got "Admin_Secret""#),
        ("bad database name", ["database": ["databaseName": "incident-db"]],
         #"spec.database.databaseName: must be a PostgreSQL identifier: lowercase letters, digits and '_', not starting with a digit, got "incident-db""#),
        ("promtail without loki", ["monitoring": ["loki": ["enabled": false]]],
         "spec.monitoring.promtail: enabled requires spec.monitoring.loki.enabled (promtail ships logs to the platform's Loki); enable loki or set promtail.enabled to false"),
        ("network policy as string", ["networkPolicy": ["enabled": "true"]],
         #"spec.networkPolicy.enabled: must be true or false, got string "true""#),
    ]

    @Test(arguments: badSpecs.indices)
    func badSpecReportsExactlyItsMessage(_ index: Int) {
        let (label, spec, message) = Self.badSpecs[index]
        #expect(problems(platform(spec)) == [message], "\(label)")
    }

    @Test func badMetadataAndHeader() {
        #expect(problems(platform(nil, name: "Demo_Platform")) == [
            "metadata.name: must be a DNS label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, got \"Demo_Platform\"",
        ])
        #expect(problems(platform(nil, name: .string(String(repeating: "a", count: 40)))) == [
            "metadata.name: must be at most 39 characters so that child names like \"<name>-incident-management\" stay within 63, got 40",
        ])
        var o = platform(nil)
        o["metadata", "name"] = nil
        o["apiVersion"] = "incidentops.io/v1"
        o["kind"] = nil
        o["sepc"] = [:]
        #expect(problems(o) == [
            #"sepc: unknown field; known fields are: apiVersion, kind, metadata, spec, status (did you mean "spec"?)"#,
            #"apiVersion: must be "incidentops.io/v1alpha1", got string "incidentops.io/v1""#,
            "kind: must be \"IncidentPlatform\", got nothing",
            "metadata.name: is required",
        ])
        #expect(problems(["a", "b"]) == ["(document): must be an IncidentPlatform object, got list"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let messages = problems(platform([
            "services": ["webUI": ["port": 0, "autoscaling": ["minReplicas": 9]], "alertIngestion": ["imagee": "x"]],
            "database": ["storage": ["size": "ten"]],
            "monitoring": ["prometheus": ["retention": 15]],
        ]))
        #expect(messages.count == 5)
        #expect(messages.contains("spec.services.webUI.autoscaling: minReplicas (9) must be <= maxReplicas (5)"))
        #expect(messages.contains { $0.hasPrefix("spec.services.webUI.port:") })
        #expect(messages.contains { $0.hasPrefix("spec.services.alertIngestion.imagee: unknown field") })
        #expect(messages.contains { $0.hasPrefix("spec.database.storage.size: invalid quantity \"ten\"") })
        #expect(messages.contains(#"spec.monitoring.prometheus.retention: must be a string like "15d", got integer 15"#))
    }

    @Test func aTypeErrorDoesNotCauseAMisleadingCrossFieldError() {
        #expect(problems(platform(["services": ["webUI": ["autoscaling": ["minReplicas": 6, "maxReplicas": "x"]]]])) == [
            #"spec.services.webUI.autoscaling.maxReplicas: must be an integer, got string "x""#,
        ])
    }

    @Test func readinessPathAndAPITokenSecretRefLoad() throws {
        let spec = try PlatformSpecLoader.load(platform([
            "services": ["webUI": ["readinessPath": "/health"], "oncallService": ["readinessPath": "/api/v1/ready?deep=1"]],
            "apiTokenSecretRef": ["name": "team-token"],
        ])).get().spec
        #expect(spec.services.webUI.readinessPath == "/health")
        #expect(spec.services.oncallService.readinessPath == "/api/v1/ready?deep=1")
        #expect(spec.services.alertIngestion.readinessPath == "/ready")
        #expect(spec.apiTokenSecretRef == SecretReference(name: "team-token"))
    }

    @Test func validEdgeValuesLoad() throws {
        let spec = try PlatformSpecLoader.load(platform([
            "services": ["webUI": ["image": .string("registry.example.com:5000/team/web-ui@sha256:" + String(repeating: "a", count: 64)),
                                   "resources": ["requests": ["cpu": 1, "memory": "1e3"], "limits": ["cpu": "1", "memory": "1Ki"]]]],
            "monitoring": ["prometheus": ["scrapeInterval": "1m30s", "retention": "2w"]],
            "disruptionBudget": ["maxUnavailable": "100%"],
        ], name: .string(String(repeating: "a", count: 39)))).get().spec
        #expect(spec.services.webUI.resources.requests.cpu == Quantity(units: 1))
        #expect(spec.monitoring.prometheus.retention.description == "2w")
    }
}

@Suite struct SchemaHelperTests {
    @Test func editDistance() {
        #expect(SchemaNode.editDistance("grafanna", "grafana") == 1)
        #expect(SchemaNode.editDistance("", "abc") == 3)
        #expect(SchemaNode.editDistance("abc", "") == 3)
        #expect(SchemaNode.editDistance("kitten", "sitting") == 3)
        #expect(SchemaNode.closest(to: "WebUi", in: ["alertIngestion", "webUI"]) == "webUI")
        #expect(SchemaNode.closest(to: "colour", in: ["image", "port"]) == nil)
    }

    @Test func badNamespace() {
        let o: JSONValue = ["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform",
                            "metadata": ["name": "demo", "namespace": "Ops Team"]]
        guard case .failure(let e) = PlatformSpecLoader.load(o) else {
            Issue.record("a bad namespace loaded")
            return
        }
        #expect(e.messages == [#"metadata.namespace: must be a namespace name (lowercase letters, digits and '-', at most 63 characters), got string "Ops Team""#])
    }
}
