import KubeCore

/// Grafana: provisioning ConfigMaps (datasources, dashboard provider, dashboards), PVC, Deployment and
/// Service on 3000. The admin Secret comes from ``SecretGenerator``.
enum GrafanaGenerator {
    /// The uid of the upstream image.
    static let runAsUser = 472
    /// The web port.
    static let port = 3000
    /// Where the PVC is mounted.
    static let dataPath = "/var/lib/grafana"

    /// Every Grafana object (none when disabled).
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        let monitoring = platform.spec.monitoring
        let spec = monitoring.grafana
        guard spec.enabled else { return [] }
        let prometheusURL = monitoring.prometheus.enabled
            ? "http://\(meta.name(PlatformComponent.prometheus.componentName)).\(meta.namespace).svc:\(PrometheusGenerator.port)" : nil
        let lokiURL = monitoring.loki.enabled ? LokiGenerator.url(meta) : nil
        let datasources = ["datasources.yaml": ConfigText.yaml(GrafanaDatasources.datasources(
            prometheusURL: prometheusURL, lokiURL: lokiURL, scrapeInterval: monitoring.prometheus.scrapeInterval.description,
            alertmanagerURL: AlertmanagerGenerator.isEnabled(platform) ? AlertmanagerGenerator.url(meta) : nil))]
        let providers = ["dashboards.yaml": ConfigText.yaml(GrafanaDatasources.dashboardProvider())]
        let dashboards = GrafanaDashboards.files(prometheus: monitoring.prometheus.enabled, loki: monitoring.loki.enabled,
                                                 sloRules: platform.spec.alerting.enabled)
        var all = datasources
        all.merge(providers) { $1 }
        all.merge(dashboards) { $1 }
        return [
            Workload.configMap(meta.metadata(.grafana, suffix: "grafana-datasources"), data: datasources),
            Workload.configMap(meta.metadata(.grafana, suffix: "grafana-providers"), data: providers),
            Workload.configMap(meta.metadata(.grafana, suffix: "grafana-dashboards"), data: dashboards),
            Workload.persistentVolumeClaim(.grafana, meta, size: spec.storage.size,
                                           storageClassName: spec.storage.storageClassName, owned: true),
            deployment(platform, meta, configHash: Workload.hash(all)),
            Workload.service(.grafana, meta, portName: "http", port: port),
        ]
    }

    static func deployment(_ platform: IncidentPlatform, _ meta: ChildMetadata, configHash: String) -> JSONValue {
        let spec = platform.spec.monitoring.grafana
        let secret = SecretGenerator.grafanaSecretName(platform, meta)
        var env: [JSONValue] = [
            Workload.env("GF_SECURITY_ADMIN_USER", secret: secret, key: SecretGenerator.adminUserKey),
            Workload.env("GF_SECURITY_ADMIN_PASSWORD", secret: secret, key: SecretGenerator.adminPasswordKey),
            Workload.env("GF_PATHS_DATA", dataPath),
            Workload.env("GF_PATHS_LOGS", "\(dataPath)/logs"),
            Workload.env("GF_PATHS_PLUGINS", "\(dataPath)/plugins"),
            Workload.env("GF_PATHS_PROVISIONING", "/etc/grafana/provisioning"),
            Workload.env("GF_USERS_ALLOW_SIGN_UP", "false"),
            Workload.env("GF_ANALYTICS_REPORTING_ENABLED", "false"),
            Workload.env("GF_ANALYTICS_CHECK_FOR_UPDATES", "false"),
        ]
        if platform.spec.monitoring.prometheus.enabled {
            // The Incident Overview (a Prometheus dashboard) is the home page when it exists.
            env.append(Workload.env("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH",
                                    "\(GrafanaDatasources.dashboardsPath)/\(GrafanaDashboards.incidentOverview.uid).json"))
        }
        var container: [String: JSONValue] = [
            "name": "grafana",
            "image": .string(spec.image),
            "imagePullPolicy": "IfNotPresent",
            "ports": [Workload.port("http", port)],
            "env": .array(env),
            "resources": spec.resources.json,
            "securityContext": PodSecurity.restrictedContainer,
            "volumeMounts": [
                Workload.mount("data", dataPath),
                Workload.mount("datasources", "/etc/grafana/provisioning/datasources", readOnly: true),
                Workload.mount("providers", "/etc/grafana/provisioning/dashboards", readOnly: true),
                Workload.mount("dashboards", GrafanaDatasources.dashboardsPath, readOnly: true),
                PodSecurity.tmpMount,
            ],
        ]
        container.merge(Workload.httpProbes(path: "/api/health", port: "http")) { $1 }
        return Workload.singletonDeployment(.grafana, meta, podAnnotations: [Workload.configHashAnnotation: .string(configHash)], podSpec: [
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "securityContext": PodSecurity.restrictedPod(user: runAsUser),
            "containers": [.object(container)],
            "volumes": [
                Workload.claimVolume("data", claim: meta.name(PlatformComponent.grafana.componentName)),
                Workload.configMapVolume("datasources", configMap: meta.name("grafana-datasources")),
                Workload.configMapVolume("providers", configMap: meta.name("grafana-providers")),
                Workload.configMapVolume("dashboards", configMap: meta.name("grafana-dashboards")),
                PodSecurity.tmpVolume,
            ],
        ])
    }
}
