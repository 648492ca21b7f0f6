import Foundation
import Testing
import KubeCore
@testable import IncidentPlatform

/// Alertmanager: its objects, its configuration (routes, receivers, inhibition, secrets as files) and the wiring
/// into Prometheus, Grafana and the NetworkPolicies.
@Suite("Generators: Alertmanager") struct GeneratorAlertmanagerTests {
    private static let slack = AlertReceiverSpec(name: "oncall-slack", matchers: [#"severity="critical""#],
        target: .slack(channel: "#incidents", apiURL: SecretKeyReference(name: "alerting", key: "slack-url")))
    private static let pager = AlertReceiverSpec(name: "pager",
        target: .pagerduty(routingKey: SecretKeyReference(name: "alerting", key: "routing-key")))
    private static let mail = AlertReceiverSpec(name: "mail", matchers: [#"namespace="ops""#],
        target: .email(to: "sre@example.com", from: "am@example.com", smarthost: "smtp.example.com:587", authUsername: "am",
                       authPassword: SecretKeyReference(name: "smtp", key: "password")))

    private func config(_ r: RenderedPlatform) throws -> JSONValue {
        let text = try #require(r.object("Secret", "demo-alertmanager")["stringData", "alertmanager.yml"]?.stringValue)
        return try YAML.parse(text)
    }

    @Test func runsWithAlertingAndPrometheusOnly() {
        let on = RenderedPlatform()
        for (kind, name) in [("Secret", "demo-alertmanager"), ("Deployment", "demo-alertmanager"), ("Service", "demo-alertmanager"),
                             ("Service", "demo-alertmanager-cluster"), ("PodDisruptionBudget", "demo-alertmanager"),
                             ("NetworkPolicy", "demo-alertmanager")] {
            #expect(on.has(kind, name), "\(kind) \(name)")
        }
        for off in [RenderedPlatform { $0.alerting.enabled = false }, RenderedPlatform { $0.monitoring.prometheus.enabled = false }] {
            #expect(!off.objects.contains { $0.name?.hasPrefix("demo-alertmanager") == true })
        }
    }

    @Test func theDefaultRouteSendsEveryAlertToAlertIngestionWithTheTokenFile() throws {
        let c = try config(RenderedPlatform())
        #expect(c["route", "receiver"] == "incident-platform")
        #expect(c["route", "group_by"] == ["alertname", "namespace", "platform"])
        let webhook = try #require(c["receivers"]?.arrayValue?.first { $0["name"] == "incident-platform" }?["webhook_configs"]?.arrayValue?.first)
        #expect(webhook["url"] == "http://demo-alert-ingestion.ops.svc:8000/api/v1/alerts/alertmanager")
        #expect(webhook["send_resolved"] == true)
        #expect(webhook["http_config", "authorization", "credentials_file"] == "/etc/alertmanager/secrets/demo-api-token/token")
        let routes = try #require(c["route", "routes"]?.arrayValue)
        #expect(routes.first == ["receiver": "null", "matchers": [#"alertname="Watchdog""#]])
        #expect(routes.last == ["receiver": "incident-platform"])
        #expect(c["inhibit_rules"] == [["source_matchers": [#"severity="critical""#], "target_matchers": [#"severity="warning""#],
                                        "equal": ["alertname", "namespace"]]])
    }

    @Test func extraReceiversContinueAndReadTheirSecretsFromFiles() throws {
        let r = RenderedPlatform { $0.alerting.receivers = [Self.slack, Self.mail, Self.pager] }
        let c = try config(r)
        let routes = try #require(c["route", "routes"]?.arrayValue)
        #expect(routes.map { $0["receiver"]?.stringValue ?? "" } == ["null", "oncall-slack", "mail", "pager", "incident-platform"])
        #expect(routes[1] == ["receiver": "oncall-slack", "matchers": [#"severity="critical""#], "continue": true])
        #expect(routes[3] == ["receiver": "pager", "continue": true])
        let receivers = try #require(c["receivers"]?.arrayValue)
        func named(_ n: String) -> JSONValue? { receivers.first { $0["name"]?.stringValue == n } }
        #expect(named("oncall-slack")?["slack_configs"]?.arrayValue?.first?["api_url_file"] == "/etc/alertmanager/secrets/alerting/slack-url")
        #expect(named("mail")?["email_configs"]?.arrayValue?.first?["auth_password_file"] == "/etc/alertmanager/secrets/smtp/password")
        #expect(named("pager")?["pagerduty_configs"]?.arrayValue?.first?["routing_key_file"] == "/etc/alertmanager/secrets/alerting/routing-key")
        // One read-only volume per Secret, holding only the referenced keys.
        let deployment = try r.object("Deployment", "demo-alertmanager")
        let volumes = try #require(deployment["spec", "template", "spec", "volumes"]?.arrayValue)
        let secretVolumes = volumes.compactMap { $0["secret"] }.filter { $0["secretName"] != "demo-alertmanager" }
        #expect(secretVolumes.map { $0["secretName"]?.stringValue ?? "" } == ["demo-api-token", "alerting", "smtp"])
        #expect(secretVolumes[1]["items"] == [["key": "slack-url", "path": "slack-url"], ["key": "routing-key", "path": "routing-key"]])
        let mounts = try #require(r.container("Deployment", "demo-alertmanager")["volumeMounts"]?.arrayValue)
        #expect(mounts.filter { $0["mountPath"]?.stringValue?.hasPrefix("/etc/alertmanager/secrets/") == true }.allSatisfy { $0["readOnly"] == true })
        // render names the receiver Secrets the cluster needs.
        let needed = PlatformGenerator.secretRequirements(for: r.platform).filter { !$0.generated }
        #expect(needed.map(\.name) == ["alerting", "smtp"])
        #expect(needed[0].keys == ["slack-url", "routing-key"])
    }

    @Test func theConfigHashFollowsTheConfiguration() throws {
        func hash(_ r: RenderedPlatform) throws -> JSONValue? {
            try r.object("Deployment", "demo-alertmanager")["spec", "template", "metadata", "annotations", "incidentops.io/config-hash"]
        }
        #expect(try hash(RenderedPlatform()) != nil)
        #expect(try hash(RenderedPlatform()) == hash(RenderedPlatform()))
        #expect(try hash(RenderedPlatform()) != hash(RenderedPlatform { $0.alerting.receivers = [Self.pager] }))
    }

    @Test func theDeploymentIsRestrictedProbedAndStoresOnAnEmptyDir() throws {
        let r = RenderedPlatform()
        let pod = try #require(r.object("Deployment", "demo-alertmanager")["spec", "template", "spec"])
        #expect(pod["securityContext", "runAsNonRoot"] == true)
        #expect(pod["securityContext", "runAsUser"] == 65534)
        #expect(pod["automountServiceAccountToken"] == false)
        let c = try r.container("Deployment", "demo-alertmanager")
        #expect(c["image"] == "prom/alertmanager:v0.27.0")
        #expect(c["securityContext", "readOnlyRootFilesystem"] == true)
        #expect(c["securityContext", "allowPrivilegeEscalation"] == false)
        #expect(c["livenessProbe", "httpGet", "path"] == "/-/healthy")
        #expect(c["readinessProbe", "httpGet", "path"] == "/-/ready")
        let args = c["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(args.contains("--storage.path=/alertmanager"))
        #expect(args.contains("--config.file=/etc/alertmanager/config/alertmanager.yml"))
        #expect(!args.contains { $0.hasPrefix("--cluster.peer=") })
        let volumes = pod["volumes"]?.arrayValue ?? []
        #expect(volumes.contains { $0["name"] == "data" && $0["emptyDir"] != nil })
        #expect(c["resources", "limits", "memory"] == "256Mi")
    }

    @Test func replicasFormAGossipClusterThroughTheHeadlessService() throws {
        let r = RenderedPlatform { $0.alerting.alertmanager.replicas = 3 }
        #expect(try r.object("Deployment", "demo-alertmanager")["spec", "replicas"] == 3)
        let args = try r.container("Deployment", "demo-alertmanager")["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(args.filter { $0.hasPrefix("--cluster.peer=") } == ["--cluster.peer=demo-alertmanager-cluster.ops.svc:9094"])
        let headless = try r.object("Service", "demo-alertmanager-cluster")
        #expect(headless["spec", "clusterIP"] == "None")
        #expect(headless["spec", "publishNotReadyAddresses"] == true)
        #expect(headless["spec", "ports"]?.arrayValue?.map { $0["protocol"]?.stringValue ?? "" } == ["TCP", "UDP"])
        #expect(try r.object("Service", "demo-alertmanager")["spec", "ports"]?.arrayValue?.first?["port"] == 9093)
        #expect(try r.object("PodDisruptionBudget", "demo-alertmanager")["spec", "maxUnavailable"] == 1)
    }

    @Test func prometheusAndGrafanaPointAtIt() throws {
        let r = RenderedPlatform()
        let prometheus = try YAML.parse(#require(r.object("ConfigMap", "demo-prometheus")["data", "prometheus.yml"]?.stringValue))
        #expect(prometheus["alerting", "alertmanagers"]?.arrayValue?.first?["static_configs"]?.arrayValue?.first?["targets"]
            == ["demo-alertmanager.ops.svc:9093"])
        let datasources = try YAML.parse(#require(r.object("ConfigMap", "demo-grafana-datasources")["data", "datasources.yaml"]?.stringValue))
        let am = try #require(datasources["datasources"]?.arrayValue?.first { $0["uid"] == "alertmanager" })
        #expect(am["type"] == "alertmanager")
        #expect(am["url"] == "http://demo-alertmanager.ops.svc:9093")
        #expect(am["jsonData", "implementation"] == "prometheus")
        let off = RenderedPlatform { $0.alerting.enabled = false }
        let offConfig = try YAML.parse(#require(off.object("ConfigMap", "demo-prometheus")["data", "prometheus.yml"]?.stringValue))
        #expect(offConfig["alerting"] == nil)
    }

    private func sources(_ rule: JSONValue) -> JSONValue? {
        rule["from"]?.arrayValue?.first?["podSelector", "matchExpressions"]?.arrayValue?.first?["values"]
    }

    @Test func networkPoliciesAllowPrometheusIngestionAndGossip() throws {
        let r = RenderedPlatform()
        let am = try r.object("NetworkPolicy", "demo-alertmanager")
        let ingress = try #require(am["spec", "ingress"]?.arrayValue)
        #expect(ingress[0]["ports"] == [["protocol": "TCP", "port": 9093]])
        #expect(sources(ingress[0]) == ["prometheus", "grafana"])
        #expect(ingress[1]["ports"] == [["protocol": "TCP", "port": 9094], ["protocol": "UDP", "port": 9094]])
        #expect(sources(ingress[1]) == ["alertmanager"])
        let ingestion = try r.object("NetworkPolicy", "demo-alert-ingestion")
        #expect(ingestion["spec", "ingress"]?.arrayValue?.contains { sources($0) == ["alertmanager"] } == true)
    }
}
