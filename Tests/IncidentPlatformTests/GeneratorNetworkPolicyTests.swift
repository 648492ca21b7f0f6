import Testing
@testable import IncidentPlatform
import KubeCore

@Suite("Generators: NetworkPolicies")
struct GeneratorNetworkPolicyTests {
    /// target → [(port, sources or nil for anywhere)], read back from the generated objects.
    private func flows(_ r: RenderedPlatform) -> [String: [(Int, [String]?)]] {
        var result: [String: [(Int, [String]?)]] = [:]
        for p in r.all("NetworkPolicy") where p.name != "demo-default-deny" {
            let target = p["spec", "podSelector", "matchLabels", "app.kubernetes.io/name"]?.stringValue ?? "?"
            var rules: [(Int, [String]?)] = []
            for rule in p["spec", "ingress"]?.arrayValue ?? [] {
                let port = rule["ports"]?.arrayValue?.first?["port"]?.intValue ?? -1
                let from = rule["from"]?.arrayValue?.first?["podSelector", "matchExpressions"]?.arrayValue?.first?["values"]?
                    .arrayValue?.compactMap(\.stringValue)
                rules.append((port, from.map { $0.sorted() }))
            }
            result[target] = rules
        }
        return result
    }

    private func describe(_ rules: [(Int, [String]?)]?) -> String {
        (rules ?? []).map { "\($0.0) from \($0.1?.joined(separator: ",") ?? "anywhere")" }.joined(separator: "; ")
    }

    @Test func defaultDenySelectsEveryPodOfThePlatform() throws {
        let p = try RenderedPlatform().object("NetworkPolicy", "demo-default-deny")
        #expect(p["spec"] == [
            "podSelector": ["matchLabels": ["app.kubernetes.io/instance": "demo", "app.kubernetes.io/part-of": "incident-platform"]],
            "policyTypes": ["Ingress"],
        ])
    }

    @Test func exactlyThePlatformsFlowsAreAllowed() {
        let f = flows(RenderedPlatform())
        let backends = ["alert-ingestion", "incident-management", "oncall-service"]
        let peers = (backends + ["web-ui"]).sorted()
        #expect(describe(f["web-ui"]) == "8080 from anywhere")
        for b in backends {
            let alertmanager = b == "alert-ingestion" ? "; 8000 from alertmanager" : ""
            #expect(describe(f[b]) == "8000 from \(peers.joined(separator: ",")); 8000 from prometheus\(alertmanager)", "\(b)")
        }
        #expect(describe(f["postgres"]) == "5432 from \(backends.sorted().joined(separator: ",")); 9187 from prometheus")
        #expect(describe(f["loki"]) == "3100 from grafana,prometheus,promtail")
        #expect(describe(f["prometheus"]) == "9090 from grafana")
        #expect(describe(f["grafana"]) == "3000 from anywhere")
        #expect(describe(f["alertmanager"]) == "9093 from grafana,prometheus; 9094 from alertmanager")
        #expect(Set(f.keys) == Set(backends + ["web-ui", "postgres", "loki", "prometheus", "grafana", "alertmanager"]))
    }

    @Test func sourcesAreLimitedToThisPlatformsPods() throws {
        let p = try RenderedPlatform().object("NetworkPolicy", "demo-postgres")
        let selector = p["spec", "ingress"]?.arrayValue?.first?["from"]?.arrayValue?.first?["podSelector"]
        #expect(selector?["matchLabels"] == ["app.kubernetes.io/instance": "demo"])
        #expect(p["spec", "ingress"]?.arrayValue?.first?["from"]?.arrayValue?.first?["namespaceSelector"] == nil)
    }

    @Test func disabledMonitoringRemovesItsFlows() {
        let f = flows(RenderedPlatform { $0.monitoring.prometheus.enabled = false; $0.monitoring.grafana.enabled = false })
        #expect(describe(f["incident-management"]) == "8000 from alert-ingestion,incident-management,oncall-service,web-ui")
        #expect(describe(f["loki"]) == "3100 from promtail")
        #expect(describe(f["postgres"]) == "5432 from alert-ingestion,incident-management,oncall-service", "no exporter flow")
        #expect(f["grafana"] == nil && f["prometheus"] == nil)
    }

    @Test func noPoliciesWhenDisabled() {
        #expect(RenderedPlatform { $0.networkPolicy.enabled = false }.all("NetworkPolicy").isEmpty)
    }
}
