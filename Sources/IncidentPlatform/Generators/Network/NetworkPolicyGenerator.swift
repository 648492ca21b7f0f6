import KubeCore

/// NetworkPolicies: a default deny of ingress to every pod of the platform, then one policy per component that
/// allows exactly the flows the platform uses.
///
/// | To | From | Port |
/// |---|---|---|
/// | web-ui | anywhere | http |
/// | each backend | web-ui, the backends, prometheus | http |
/// | alert-ingestion | alertmanager | http |
/// | postgres | the backends | 5432 |
/// | postgres (postgres_exporter) | prometheus | 9187 |
/// | loki | promtail, grafana, prometheus | 3100 |
/// | prometheus | grafana | 9090 |
/// | grafana | anywhere | 3000 |
/// | alertmanager | prometheus, grafana | 9093 |
/// | alertmanager | alertmanager (gossip) | 9094 TCP and UDP |
///
/// The policies restrict ingress only, so Alertmanager's egress to extra receivers (HTTPS, SMTP) is not limited.
///
/// node-exporter runs on the host network, where NetworkPolicies do not apply.
enum NetworkPolicyGenerator {
    /// A flow: which pods may reach a component on which port; `from: nil` means from anywhere.
    struct Rule: Equatable {
        let port: Int
        let from: [PlatformComponent]?
        var protocols: [String] = ["TCP"]
    }

    /// The allowed flows into each enabled component, in a stable order.
    static func flows(_ platform: IncidentPlatform) -> [(PlatformComponent, [Rule])] {
        let monitoring = platform.spec.monitoring
        let backends = PlatformService.allCases.filter(\.isBackend).map(\.component)
        var flows: [(PlatformComponent, [Rule])] = []
        for service in PlatformService.allCases {
            let port = platform.spec.services[service].port
            if service.isBackend {
                var rules = [Rule(port: port, from: [.webUI] + backends)]
                if monitoring.prometheus.enabled { rules.append(Rule(port: port, from: [.prometheus])) }
                if service == .alertIngestion, AlertmanagerGenerator.isEnabled(platform) {
                    rules.append(Rule(port: port, from: [.alertmanager]))
                }
                flows.append((service.component, rules))
            } else {
                flows.append((service.component, [Rule(port: port, from: nil)]))
            }
        }
        var database = [Rule(port: DatabaseGenerator.port, from: backends)]
        if DatabaseGenerator.exporterEnabled(platform) { database.append(Rule(port: DatabaseGenerator.exporterPort, from: [.prometheus])) }
        flows.append((.postgres, database))
        if monitoring.prometheus.enabled {
            flows.append((.prometheus, monitoring.grafana.enabled ? [Rule(port: PrometheusGenerator.port, from: [.grafana])] : []))
        }
        if monitoring.loki.enabled {
            var sources: [PlatformComponent] = []
            if monitoring.promtail.enabled { sources.append(.promtail) }
            if monitoring.grafana.enabled { sources.append(.grafana) }
            if monitoring.prometheus.enabled { sources.append(.prometheus) }
            flows.append((.loki, sources.isEmpty ? [] : [Rule(port: LokiConfig.httpPort, from: sources)]))
        }
        if monitoring.grafana.enabled {
            flows.append((.grafana, [Rule(port: GrafanaGenerator.port, from: nil)]))
        }
        if AlertmanagerGenerator.isEnabled(platform) {
            flows.append((.alertmanager, [
                Rule(port: AlertmanagerGenerator.port, from: [.prometheus] + (monitoring.grafana.enabled ? [.grafana] : [])),
                Rule(port: AlertmanagerGenerator.clusterPort, from: [.alertmanager], protocols: ["TCP", "UDP"]),
            ]))
        }
        return flows
    }

    /// Every NetworkPolicy (none when `spec.networkPolicy.enabled` is false).
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        guard platform.spec.networkPolicy.enabled else { return [] }
        let denyLabels = meta.labels(name: "default-deny", role: "network-policy")
        var objects = [ChildMetadata.object(.networkPolicies, meta.metadata(name: meta.name("default-deny"), labels: denyLabels), [
            "spec": ["podSelector": ["matchLabels": meta.platformPodLabels], "policyTypes": ["Ingress"]]
        ])]
        for (component, rules) in flows(platform) {
            let ingress: [JSONValue] = rules.map { rule in
                var entry: JSONValue = ["ports": .array(rule.protocols.map { ["protocol": .string($0), "port": .int(rule.port)] })]
                if let from = rule.from {
                    entry["from"] = [[
                        "podSelector": [
                            "matchLabels": ["app.kubernetes.io/instance": .string(meta.platform)],
                            "matchExpressions": [[
                                "key": "app.kubernetes.io/name", "operator": "In",
                                "values": .array(from.map { .string($0.componentName) }),
                            ]],
                        ]
                    ]]
                }
                return entry
            }
            var spec: JSONValue = ["podSelector": ["matchLabels": meta.selectorLabels(component)], "policyTypes": ["Ingress"]]
            if !ingress.isEmpty { spec["ingress"] = .array(ingress) }
            objects.append(ChildMetadata.object(.networkPolicies, meta.metadata(component), ["spec": spec]))
        }
        return objects
    }
}
