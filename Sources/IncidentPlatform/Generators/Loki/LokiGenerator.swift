import KubeCore

/// Loki (single binary): ConfigMap, PVC, Deployment and Service on 3100.
enum LokiGenerator {
    /// The uid of the upstream image.
    static let runAsUser = 10001
    /// The configuration file name in the ConfigMap.
    static let configFile = "loki.yaml"
    /// Log retention (the spec has no field for it yet).
    static let retention = "168h"

    /// The push URL promtail uses: `http://<platform>-loki.<namespace>.svc:3100/loki/api/v1/push`.
    static func pushURL(_ meta: ChildMetadata) -> String { "\(url(meta))/loki/api/v1/push" }
    /// The base URL Grafana uses.
    static func url(_ meta: ChildMetadata) -> String {
        "http://\(meta.name(PlatformComponent.loki.componentName)).\(meta.namespace).svc:\(LokiConfig.httpPort)"
    }

    /// Every Loki object (none when disabled).
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        let spec = platform.spec.monitoring.loki
        guard spec.enabled else { return [] }
        let name = meta.name(PlatformComponent.loki.componentName)
        let files = [configFile: ConfigText.yaml(LokiConfig.document(retention: retention))]
        var container: [String: JSONValue] = [
            "name": "loki",
            "image": .string(spec.image),
            "imagePullPolicy": "IfNotPresent",
            "args": [.string("-config.file=/etc/loki/\(configFile)"), "-target=all"],
            "ports": [Workload.port("http", LokiConfig.httpPort), Workload.port("grpc", 9095)],
            "resources": spec.resources.json,
            "securityContext": PodSecurity.restrictedContainer,
            "volumeMounts": [
                Workload.mount("config", "/etc/loki", readOnly: true),
                Workload.mount("data", LokiConfig.dataPath),
                PodSecurity.tmpMount,
            ],
        ]
        container.merge(Workload.httpProbes(path: "/ready", port: "http")) { $1 }
        return [
            Workload.configMap(meta.metadata(.loki), data: files),
            Workload.persistentVolumeClaim(.loki, meta, size: spec.storage.size,
                                           storageClassName: spec.storage.storageClassName, owned: true),
            Workload.singletonDeployment(.loki, meta, podAnnotations: [
                Workload.configHashAnnotation: .string(Workload.hash(files)),
                // Prometheus scrapes Loki's own metrics (the LokiRequestErrors alert).
                "prometheus.io/scrape": "true",
                "prometheus.io/port": .string(String(LokiConfig.httpPort)),
                "prometheus.io/path": "/metrics",
            ], podSpec: [
                "automountServiceAccountToken": false,
                "enableServiceLinks": false,
                "securityContext": PodSecurity.restrictedPod(user: runAsUser),
                "containers": [.object(container)],
                "volumes": [
                    Workload.configMapVolume("config", configMap: name),
                    Workload.claimVolume("data", claim: name),
                    PodSecurity.tmpVolume,
                ],
            ]),
            Workload.service(.loki, meta, portName: "http", port: LokiConfig.httpPort),
        ]
    }
}
