import KubeCore

/// Reads the typed spec from JSON that the schema has already defaulted and type-checked. A value the schema
/// rejected (already reported) falls back to its default, so decoding itself never fails.
struct PlatformSpecDecoder {
    let json: JSONValue

    var spec: IncidentPlatformSpec {
        var services = ServicesSpec()
        for service in PlatformService.allCases {
            services[service] = decodeService(json["services", service.specKey], service)
        }
        let db = json["database"]
        let dbDefaults = DatabaseSpec()
        let monitoring = json["monitoring"]
        let defaults = MonitoringSpec()
        let p = monitoring?["prometheus"], g = monitoring?["grafana"], l = monitoring?["loki"]
        return IncidentPlatformSpec(
            services: services,
            database: DatabaseSpec(
                image: db?["image"]?.stringValue ?? dbDefaults.image,
                databaseName: db?["databaseName"]?.stringValue ?? dbDefaults.databaseName,
                storage: DatabaseStorageSpec(
                    size: quantity(db?["storage", "size"], dbDefaults.storage.size),
                    storageClassName: db?["storage", "storageClassName"]?.stringValue,
                    deletionPolicy: db?["storage", "deletionPolicy"]?.stringValue.flatMap(DeletionPolicy.init(rawValue:))
                        ?? dbDefaults.storage.deletionPolicy),
                credentialsSecretRef: secretRef(db?["credentialsSecretRef"]),
                resources: resources(db?["resources"], .postgres)),
            monitoring: MonitoringSpec(
                prometheus: PrometheusSpec(
                    enabled: p?["enabled"]?.boolValue ?? defaults.prometheus.enabled,
                    image: p?["image"]?.stringValue ?? defaults.prometheus.image,
                    scrapeInterval: duration(p?["scrapeInterval"], defaults.prometheus.scrapeInterval),
                    retention: duration(p?["retention"], defaults.prometheus.retention),
                    storage: storage(p?["storage"], defaults.prometheus.storage),
                    resources: resources(p?["resources"], .prometheus)),
                grafana: GrafanaSpec(
                    enabled: g?["enabled"]?.boolValue ?? defaults.grafana.enabled,
                    image: g?["image"]?.stringValue ?? defaults.grafana.image,
                    storage: storage(g?["storage"], defaults.grafana.storage),
                    adminSecretRef: secretRef(g?["adminSecretRef"]),
                    resources: resources(g?["resources"], .grafana)),
                loki: LokiSpec(
                    enabled: l?["enabled"]?.boolValue ?? defaults.loki.enabled,
                    image: l?["image"]?.stringValue ?? defaults.loki.image,
                    storage: storage(l?["storage"], defaults.loki.storage),
                    resources: resources(l?["resources"], .loki)),
                promtail: agent(monitoring?["promtail"], .promtail),
                nodeExporter: agent(monitoring?["nodeExporter"], .nodeExporter)),
            disruptionBudget: DisruptionBudgetSpec(
                maxUnavailable: json["disruptionBudget", "maxUnavailable"].flatMap(IntOrPercent.init(json:)) ?? PlatformDefaults.maxUnavailable),
            networkPolicy: NetworkPolicySpec(enabled: json["networkPolicy", "enabled"]?.boolValue ?? PlatformDefaults.networkPolicyEnabled),
            apiTokenSecretRef: secretRef(json["apiTokenSecretRef"]),
            alerting: AlertingSpec(
                enabled: json["alerting", "enabled"]?.boolValue ?? PlatformDefaults.alertingEnabled,
                runbookBaseURL: json["alerting", "runbookBaseURL"]?.stringValue ?? PlatformDefaults.runbookBaseURL,
                alertmanager: AlertmanagerSpec(
                    image: json["alerting", "alertmanager", "image"]?.stringValue ?? PlatformDefaults.image(for: .alertmanager),
                    replicas: integer(json["alerting", "alertmanager", "replicas"]) ?? PlatformDefaults.alertmanagerReplicas,
                    resources: resources(json["alerting", "alertmanager", "resources"], .alertmanager)),
                receivers: (json["alerting", "receivers"]?.arrayValue ?? []).compactMap(receiver)),
            slo: slos(json["slo"]))
    }

    private func slos(_ j: JSONValue?) -> SLOsSpec {
        var result = SLOsSpec()
        for service in PlatformService.allCases {
            let s = j?[service.specKey]
            result[service] = ServiceSLOSpec(
                availability: AvailabilityObjective(
                    objective: number(s?["availability", "objective"]) ?? PlatformDefaults.availabilityObjective),
                latency: LatencyObjective(
                    objective: number(s?["latency", "objective"]) ?? PlatformDefaults.latencyObjective,
                    thresholdSeconds: number(s?["latency", "thresholdSeconds"]) ?? PlatformDefaults.latencyThresholdSeconds))
        }
        return result
    }

    /// One extra receiver; nil when it has no name or not exactly one target (the validator reports both).
    private func receiver(_ j: JSONValue) -> AlertReceiverSpec? {
        guard let name = j["name"]?.stringValue else { return nil }
        let matchers = (j["matchers"]?.arrayValue ?? []).compactMap(\.stringValue)
        var targets: [AlertReceiverSpec.Target] = []
        if let s = j["slack"], let channel = s["channel"]?.stringValue, let url = secretKeyRef(s["apiURLSecretRef"]) {
            targets.append(.slack(channel: channel, apiURL: url))
        }
        if let e = j["email"], let to = e["to"]?.stringValue, let from = e["from"]?.stringValue,
           let smarthost = e["smarthost"]?.stringValue {
            targets.append(.email(to: to, from: from, smarthost: smarthost, authUsername: e["authUsername"]?.stringValue,
                                  authPassword: secretKeyRef(e["authPasswordSecretRef"])))
        }
        if let url = j["webhook", "url"]?.stringValue { targets.append(.webhook(url: url)) }
        if let key = secretKeyRef(j["pagerduty", "routingKeySecretRef"]) { targets.append(.pagerduty(routingKey: key)) }
        guard targets.count == 1 else { return nil }
        return AlertReceiverSpec(name: name, matchers: matchers, target: targets[0])
    }

    private func secretKeyRef(_ j: JSONValue?) -> SecretKeyReference? {
        guard let name = j?["name"]?.stringValue, let key = j?["key"]?.stringValue else { return nil }
        return SecretKeyReference(name: name, key: key)
    }

    private func number(_ j: JSONValue?) -> Double? {
        switch j {
        case .int(let i)?: Double(i)
        case .double(let d)?: d
        default: nil
        }
    }

    private func decodeService(_ j: JSONValue?, _ service: PlatformService) -> ServiceSpec {
        let d = ServiceSpec.defaults(for: service)
        let a = j?["autoscaling"]
        return ServiceSpec(
            image: j?["image"]?.stringValue ?? d.image,
            port: integer(j?["port"]) ?? d.port,
            readinessPath: j?["readinessPath"]?.stringValue ?? d.readinessPath,
            replicas: integer(j?["replicas"]) ?? d.replicas,
            resources: resources(j?["resources"], service.component),
            env: (j?["env"]?.arrayValue ?? []).compactMap { item in
                item["name"]?.stringValue.map { EnvVar(name: $0, value: item["value"]?.stringValue ?? "") }
            },
            autoscaling: AutoscalingSpec(
                enabled: a?["enabled"]?.boolValue ?? d.autoscaling.enabled,
                minReplicas: integer(a?["minReplicas"]) ?? d.autoscaling.minReplicas,
                maxReplicas: integer(a?["maxReplicas"]) ?? d.autoscaling.maxReplicas,
                targetCPUUtilizationPercentage: integer(a?["targetCPUUtilizationPercentage"]) ?? d.autoscaling.targetCPUUtilizationPercentage,
                targetMemoryUtilizationPercentage: integer(a?["targetMemoryUtilizationPercentage"])
                    ?? d.autoscaling.targetMemoryUtilizationPercentage))
    }

    private func agent(_ j: JSONValue?, _ component: PlatformComponent) -> NodeAgentSpec {
        let d = NodeAgentSpec.defaults(for: component)
        return NodeAgentSpec(enabled: j?["enabled"]?.boolValue ?? d.enabled, image: j?["image"]?.stringValue ?? d.image,
                             resources: resources(j?["resources"], component))
    }

    private func resources(_ j: JSONValue?, _ component: PlatformComponent) -> ResourceRequirements {
        let d = ResourceRequirements.defaults(for: component)
        return ResourceRequirements(
            requests: ResourceList(cpu: quantity(j?["requests", "cpu"], d.requests.cpu),
                                   memory: quantity(j?["requests", "memory"], d.requests.memory)),
            limits: ResourceList(cpu: quantity(j?["limits", "cpu"], d.limits.cpu),
                                 memory: quantity(j?["limits", "memory"], d.limits.memory)))
    }

    private func storage(_ j: JSONValue?, _ d: StorageSpec) -> StorageSpec {
        StorageSpec(size: quantity(j?["size"], d.size), storageClassName: j?["storageClassName"]?.stringValue)
    }

    private func secretRef(_ j: JSONValue?) -> SecretReference? {
        j?["name"]?.stringValue.map(SecretReference.init(name:))
    }

    private func integer(_ j: JSONValue?) -> Int? {
        if case .int(let i)? = j { return i }
        return nil
    }

    private func quantity(_ j: JSONValue?, _ fallback: Quantity) -> Quantity {
        switch j {
        case .string(let s)?: (try? Quantity(parsing: s)) ?? fallback
        case .int(let i)?: Quantity(units: i)
        default: fallback
        }
    }

    private func duration(_ j: JSONValue?, _ fallback: PromDuration) -> PromDuration {
        j?.stringValue.flatMap { try? PromDuration(parsing: $0) } ?? fallback
    }
}
