import KubeCore

/// Alertmanager: its configuration in a Secret, a Deployment, a Service on 9093, a headless Service for gossip on
/// 9094 (TCP and UDP) and a PodDisruptionBudget. Runs when `spec.alerting.enabled` and Prometheus is enabled.
///
/// A Deployment rather than a StatefulSet: Alertmanager's state (silences, notification log) lives on an
/// `emptyDir` and is shared by gossip, so no pod needs a stable name or volume; one `--cluster.peer` naming the
/// headless Service resolves to every pod (Alertmanager re-resolves its peers periodically), and the operator
/// needs no new kind (and no new RBAC). docs/alerting.md has the details.
enum AlertmanagerGenerator {
    /// `nobody`, as in the upstream image.
    static let runAsUser = 65534
    /// The web and API port.
    static let port = 9093
    /// The gossip port (TCP and UDP).
    static let clusterPort = 9094
    /// The configuration file name in the Secret.
    static let configFile = "alertmanager.yml"
    /// Where the configuration Secret is mounted.
    static let configDirectory = "/etc/alertmanager/config"
    /// Where referenced Secrets are mounted, one directory per Secret.
    static let secretsDirectory = "/etc/alertmanager/secrets"
    /// Where notification state and silences are kept (an emptyDir; gossip shares them between replicas).
    static let storagePath = "/alertmanager"

    /// Whether Alertmanager runs for `platform`.
    static func isEnabled(_ platform: IncidentPlatform) -> Bool {
        platform.spec.alerting.enabled && platform.spec.monitoring.prometheus.enabled
    }

    /// `http://<platform>-alertmanager.<namespace>.svc:9093`.
    static func url(_ meta: ChildMetadata) -> String { "http://\(serviceAddress(meta))" }

    /// `<platform>-alertmanager.<namespace>.svc:9093`, the target Prometheus sends alerts to.
    static func serviceAddress(_ meta: ChildMetadata) -> String {
        "\(meta.name(PlatformComponent.alertmanager.componentName)).\(meta.namespace).svc:\(port)"
    }

    /// The name of the headless gossip Service.
    static func clusterServiceName(_ meta: ChildMetadata) -> String { meta.name("alertmanager-cluster") }

    /// alert-ingestion's Alertmanager endpoint.
    static func ingestionURL(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> String {
        "\(ServiceGenerator.url(.alertIngestion, platform, meta))/api/v1/alerts/alertmanager"
    }

    /// Every Secret key the configuration reads, API token first, each once.
    static func secretKeys(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [SecretKeyReference] {
        var keys = [SecretKeyReference(name: SecretGenerator.apiTokenSecretName(platform, meta), key: SecretGenerator.apiTokenKey)]
        for receiver in platform.spec.alerting.receivers {
            for key in receiver.target.secretKeys where !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// The configuration files of the Secret.
    static func files(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [String: String] {
        let token = SecretKeyReference(name: SecretGenerator.apiTokenSecretName(platform, meta), key: SecretGenerator.apiTokenKey)
        return [configFile: ConfigText.yaml(AlertmanagerConfig.document(
            ingestionURL: ingestionURL(platform, meta), tokenFile: AlertmanagerConfig.secretFile(token),
            receivers: platform.spec.alerting.receivers))]
    }

    /// Every Alertmanager object (none when disabled).
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        guard isEnabled(platform) else { return [] }
        let data = files(platform, meta)
        let component = PlatformComponent.alertmanager
        return [
            ChildMetadata.object(.secrets, meta.metadata(component), [
                "type": "Opaque", "stringData": .object(data.mapValues { .string($0) }),
            ]),
            deployment(platform, meta, configHash: Workload.hash(data)),
            Workload.service(component, meta, portName: "http", port: port),
            ChildMetadata.object(.services, meta.metadata(component, suffix: "alertmanager-cluster"), [
                "spec": [
                    "clusterIP": "None",
                    // Peers must find each other before they are ready: readiness waits for the cluster to settle.
                    "publishNotReadyAddresses": true,
                    "selector": meta.selectorLabels(component),
                    "ports": [
                        ["name": "gossip-tcp", "port": .int(clusterPort), "targetPort": "gossip-tcp", "protocol": "TCP"],
                        ["name": "gossip-udp", "port": .int(clusterPort), "targetPort": "gossip-udp", "protocol": "UDP"],
                    ],
                ]
            ]),
            ChildMetadata.object(.podDisruptionBudgets, meta.metadata(component), [
                "spec": [
                    "maxUnavailable": 1,
                    "selector": ["matchLabels": meta.selectorLabels(component)],
                    "unhealthyPodEvictionPolicy": "AlwaysAllow",
                ]
            ]),
        ]
    }

    /// The container arguments: one `--cluster.peer` (the headless Service, which resolves to every pod) when
    /// there is more than one replica.
    static func arguments(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [String] {
        var args = [
            "--config.file=\(configDirectory)/\(configFile)",
            "--storage.path=\(storagePath)",
            "--web.listen-address=:\(port)",
            "--web.external-url=\(url(meta))",
            "--cluster.listen-address=0.0.0.0:\(clusterPort)",
            "--cluster.advertise-address=$(POD_IP):\(clusterPort)",
        ]
        if platform.spec.alerting.alertmanager.replicas > 1 {
            args.append("--cluster.peer=\(clusterServiceName(meta)).\(meta.namespace).svc:\(clusterPort)")
        }
        return args
    }

    static func deployment(_ platform: IncidentPlatform, _ meta: ChildMetadata, configHash: String) -> JSONValue {
        let spec = platform.spec.alerting.alertmanager
        let component = PlatformComponent.alertmanager
        // One volume per Secret, with only the keys the configuration reads.
        var secretNames: [String] = []
        for key in secretKeys(platform, meta) where !secretNames.contains(key.name) { secretNames.append(key.name) }
        let keys = secretKeys(platform, meta)
        var mounts: [JSONValue] = [
            Workload.mount("config", configDirectory, readOnly: true),
            Workload.mount("data", storagePath),
            PodSecurity.tmpMount,
        ]
        var volumes: [JSONValue] = [
            ["name": "config", "secret": ["secretName": .string(meta.name(component.componentName))]],
            ["name": "data", "emptyDir": ["sizeLimit": "256Mi"]],
            PodSecurity.tmpVolume,
        ]
        for (index, secret) in secretNames.enumerated() {
            let volume = "secret-\(index)"
            mounts.append(Workload.mount(volume, "\(secretsDirectory)/\(secret)", readOnly: true))
            volumes.append(["name": .string(volume), "secret": [
                "secretName": .string(secret),
                "items": .array(keys.filter { $0.name == secret }.map { ["key": .string($0.key), "path": .string($0.key)] }),
            ]])
        }
        var container: [String: JSONValue] = [
            "name": "alertmanager",
            "image": .string(spec.image),
            "imagePullPolicy": "IfNotPresent",
            "args": .array(arguments(platform, meta).map(JSONValue.string)),
            "env": [["name": "POD_IP", "valueFrom": ["fieldRef": ["fieldPath": "status.podIP"]]]],
            "ports": [
                Workload.port("http", port),
                Workload.port("gossip-tcp", clusterPort),
                ["name": "gossip-udp", "containerPort": .int(clusterPort), "protocol": "UDP"],
            ],
            "resources": spec.resources.json,
            "securityContext": PodSecurity.restrictedContainer,
            "volumeMounts": .array(mounts),
        ]
        container.merge(Workload.httpProbes(path: "/-/healthy", port: "http", readinessPath: "/-/ready")) { $1 }
        return ChildMetadata.object(.deployments, meta.metadata(component), [
            "spec": [
                "replicas": .int(spec.replicas),
                "revisionHistoryLimit": 3,
                "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 0, "maxSurge": 1]],
                "selector": ["matchLabels": meta.selectorLabels(component)],
                "template": [
                    "metadata": [
                        "labels": meta.labels(component),
                        "annotations": [
                            Workload.configHashAnnotation: .string(configHash),
                            // Prometheus scrapes Alertmanager's own metrics (the job `alertmanager`).
                            "prometheus.io/scrape": "true",
                            "prometheus.io/port": .string(String(port)),
                            "prometheus.io/path": "/metrics",
                        ],
                    ],
                    "spec": [
                        "automountServiceAccountToken": false,
                        "enableServiceLinks": false,
                        "securityContext": PodSecurity.restrictedPod(user: runAsUser),
                        "containers": [.object(container)],
                        "volumes": .array(volumes),
                    ],
                ],
            ]
        ])
    }
}
