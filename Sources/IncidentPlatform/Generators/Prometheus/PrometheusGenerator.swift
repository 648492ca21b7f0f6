import KubeCore

/// Prometheus: ConfigMap with `prometheus.yml`, ServiceAccount, Role and RoleBinding for discovery, with alerting
/// enabled a ClusterRole and ClusterRoleBinding for the kubelet volume stats (``kubeletRules``), PVC, Deployment and
/// Service on 9090.
enum PrometheusGenerator {
    /// `nobody`, as in the upstream image.
    static let runAsUser = 65534
    /// The web port.
    static let port = 9090
    /// The configuration file name in the ConfigMap.
    static let configFile = "prometheus.yml"

    /// Where the ConfigMap is mounted.
    static let configDirectory = "/etc/prometheus"

    /// The jobs Prometheus scrapes besides itself: the four services, then node-exporter and Loki when they run,
    /// postgres (the postgres_exporter sidecar) and Alertmanager when it runs.
    static func jobs(_ platform: IncidentPlatform) -> [String] {
        let monitoring = platform.spec.monitoring
        return PrometheusConfig.serviceJobs
            + (monitoring.nodeExporter.enabled ? [PlatformComponent.nodeExporter.componentName] : [])
            + (monitoring.loki.enabled ? [PlatformComponent.loki.componentName] : [])
            + (DatabaseGenerator.exporterEnabled(platform) ? [PlatformComponent.postgres.componentName] : [])
            + (AlertmanagerGenerator.isEnabled(platform) ? [PlatformComponent.alertmanager.componentName] : [])
    }

    /// Whether Prometheus scrapes the kubelets' volume stats (and holds the ClusterRole for it): alerting enabled.
    static func scrapesKubelet(_ platform: IncidentPlatform) -> Bool {
        platform.spec.monitoring.prometheus.enabled && platform.spec.alerting.enabled
    }

    /// What the per-platform ClusterRole `<namespace>-<platform>-prometheus` grants: node discovery and the API
    /// server's proxy to each kubelet's `/metrics`, nothing else.
    static let kubeletRules: JSONValue = [
        ["apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"]],
        ["apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]],
    ]

    /// The ConfigMap's files: `prometheus.yml`, and the rule file unless alerting is disabled.
    static func files(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [String: String] {
        let spec = platform.spec.monitoring.prometheus
        let rules = AlertingRules.document(platform, platformName: meta.platform, namespace: meta.namespace, jobs: jobs(platform))
        let config = ConfigText.yaml(PrometheusConfig.document(
            platform: meta.platform, namespace: meta.namespace, scrapeInterval: spec.scrapeInterval.description,
            jobs: jobs(platform), ruleFiles: rules == nil ? [] : ["\(configDirectory)/\(AlertingRules.fileName)"],
            alertmanagers: AlertmanagerGenerator.isEnabled(platform) ? [AlertmanagerGenerator.serviceAddress(meta)] : [],
            kubelet: scrapesKubelet(platform)))
        var files = [configFile: config]
        if let rules { files[AlertingRules.fileName] = ConfigText.yaml(rules) }
        return files
    }

    /// Every Prometheus object (none when disabled).
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        let spec = platform.spec.monitoring.prometheus
        guard spec.enabled else { return [] }
        let name = meta.name(PlatformComponent.prometheus.componentName)
        let data = files(platform, meta)
        let subject: JSONValue = ["kind": "ServiceAccount", "name": .string(name), "namespace": .string(meta.namespace)]
        var objects: [JSONValue] = [
            Workload.configMap(meta.metadata(.prometheus), data: data),
            ChildMetadata.object(.serviceAccounts, meta.metadata(.prometheus), ["automountServiceAccountToken": false]),
            ChildMetadata.object(.roles, meta.metadata(.prometheus), [
                "rules": [[
                    "apiGroups": [""], "resources": ["pods", "services", "endpoints"], "verbs": ["get", "list", "watch"],
                ]]
            ]),
            ChildMetadata.object(.roleBindings, meta.metadata(.prometheus), [
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(name)],
                "subjects": [subject],
            ]),
            Workload.persistentVolumeClaim(.prometheus, meta, size: spec.storage.size,
                                           storageClassName: spec.storage.storageClassName, owned: true),
            deployment(platform, meta, configHash: Workload.hash(data)),
            Workload.service(.prometheus, meta, portName: "http", port: port),
        ]
        if scrapesKubelet(platform) {
            let clusterName = meta.clusterName(PlatformComponent.prometheus.componentName)
            objects.insert(contentsOf: [
                ChildMetadata.object(.clusterRoles, meta.clusterMetadata(.prometheus), ["rules": kubeletRules]),
                ChildMetadata.object(.clusterRoleBindings, meta.clusterMetadata(.prometheus), [
                    "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(clusterName)],
                    "subjects": [subject],
                ]),
            ], at: 4)
        }
        return objects
    }

    static func deployment(_ platform: IncidentPlatform, _ meta: ChildMetadata, configHash: String) -> JSONValue {
        let spec = platform.spec.monitoring.prometheus
        let name = meta.name(PlatformComponent.prometheus.componentName)
        var container: [String: JSONValue] = [
            "name": "prometheus",
            "image": .string(spec.image),
            "imagePullPolicy": "IfNotPresent",
            "args": [
                .string("--config.file=\(configDirectory)/\(configFile)"),
                "--storage.tsdb.path=/prometheus",
                .string("--storage.tsdb.retention.time=\(spec.retention.description)"),
                "--web.listen-address=:9090",
            ],
            "ports": [Workload.port("http", port)],
            "resources": spec.resources.json,
            "securityContext": PodSecurity.restrictedContainer,
            "volumeMounts": [
                Workload.mount("config", configDirectory, readOnly: true),
                Workload.mount("data", "/prometheus"),
                PodSecurity.tmpMount,
            ],
        ]
        container.merge(Workload.httpProbes(path: "/-/healthy", port: "http", readinessPath: "/-/ready")) { $1 }
        return Workload.singletonDeployment(.prometheus, meta, podAnnotations: [Workload.configHashAnnotation: .string(configHash)], podSpec: [
            "serviceAccountName": .string(name),
            // Discovery needs the API token; the ServiceAccount itself does not mount it by default.
            "automountServiceAccountToken": true,
            "enableServiceLinks": false,
            "securityContext": PodSecurity.restrictedPod(user: runAsUser),
            "containers": [.object(container)],
            "volumes": [
                Workload.configMapVolume("config", configMap: name),
                Workload.claimVolume("data", claim: name),
                PodSecurity.tmpVolume,
            ],
        ])
    }
}
