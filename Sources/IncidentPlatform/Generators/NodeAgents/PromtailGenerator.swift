import KubeCore

/// promtail: ConfigMap, ServiceAccount, ClusterRole and ClusterRoleBinding (get/list/watch pods and nodes),
/// and a DaemonSet with read-only hostPath mounts that tolerates every node.
enum PromtailGenerator {
    /// The configuration file name in the ConfigMap.
    static let configFile = "promtail.yaml"

    /// Every promtail object (none when disabled, or when there is no Loki to push to).
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        let spec = platform.spec.monitoring.promtail
        guard spec.enabled, platform.spec.monitoring.loki.enabled else { return [] }
        let name = meta.name(PlatformComponent.promtail.componentName)
        let clusterName = meta.clusterName(PlatformComponent.promtail.componentName)
        let files = [configFile: ConfigText.yaml(PromtailConfig.document(
            platform: meta.platform, namespace: meta.namespace, lokiPushURL: LokiGenerator.pushURL(meta)))]
        return [
            Workload.configMap(meta.metadata(.promtail), data: files),
            ChildMetadata.object(.serviceAccounts, meta.metadata(.promtail), ["automountServiceAccountToken": false]),
            ChildMetadata.object(.clusterRoles, meta.clusterMetadata(.promtail), [
                "rules": [["apiGroups": [""], "resources": ["pods", "nodes"], "verbs": ["get", "list", "watch"]]]
            ]),
            ChildMetadata.object(.clusterRoleBindings, meta.clusterMetadata(.promtail), [
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(clusterName)],
                "subjects": [["kind": "ServiceAccount", "name": .string(name), "namespace": .string(meta.namespace)]],
            ]),
            daemonSet(platform, meta, configHash: Workload.hash(files)),
        ]
    }

    static func daemonSet(_ platform: IncidentPlatform, _ meta: ChildMetadata, configHash: String) -> JSONValue {
        let spec = platform.spec.monitoring.promtail
        let name = meta.name(PlatformComponent.promtail.componentName)
        let container: JSONValue = [
            "name": "promtail",
            "image": .string(spec.image),
            "imagePullPolicy": "IfNotPresent",
            "args": [.string("-config.file=/etc/promtail/\(configFile)")],
            // promtail keeps only targets whose `__host__` (the pod's node) equals HOSTNAME.
            "env": [["name": "HOSTNAME", "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]]],
            "ports": [Workload.port("http-metrics", PromtailConfig.httpPort)],
            "resources": spec.resources.json,
            "readinessProbe": Workload.httpProbe(path: "/ready", port: "http-metrics", period: 10, failureThreshold: 5),
            "livenessProbe": Workload.httpProbe(path: "/ready", port: "http-metrics", period: 20, failureThreshold: 6),
            "securityContext": NodeAgentSecurity.container(user: 0),
            "volumeMounts": [
                Workload.mount("config", "/etc/promtail", readOnly: true),
                Workload.mount("positions", PromtailConfig.positionsPath),
                Workload.mount("pods", "/var/log/pods", readOnly: true),
                PodSecurity.tmpMount,
            ],
        ]
        return ChildMetadata.object(.daemonSets, meta.metadata(.promtail), [
            "spec": [
                "selector": ["matchLabels": meta.selectorLabels(.promtail)],
                "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1]],
                "template": [
                    "metadata": [
                        "labels": meta.labels(.promtail),
                        "annotations": [Workload.configHashAnnotation: .string(configHash)],
                    ],
                    "spec": [
                        "serviceAccountName": .string(name),
                        // Pod discovery needs the API token.
                        "automountServiceAccountToken": true,
                        "enableServiceLinks": false,
                        "securityContext": ["seccompProfile": ["type": "RuntimeDefault"]],
                        "tolerations": NodeAgentSecurity.tolerateEverything,
                        "containers": [container],
                        "volumes": [
                            Workload.configMapVolume("config", configMap: name),
                            ["name": "positions", "emptyDir": [:]],
                            NodeAgentSecurity.hostPath("pods", "/var/log/pods"),
                            PodSecurity.tmpVolume,
                        ],
                    ],
                ],
            ]
        ])
    }
}
