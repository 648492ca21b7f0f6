import KubeCore

/// node-exporter: a DaemonSet on port 9100 of every node, with read-only host `/proc`, `/sys` and `/`.
enum NodeExporterGenerator {
    /// `nobody`, as in the upstream image.
    static let runAsUser = 65534
    /// The metrics port (on the host network).
    static let port = 9100

    /// The node-exporter DaemonSet (none when disabled).
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        let spec = platform.spec.monitoring.nodeExporter
        guard spec.enabled else { return [] }
        var container: [String: JSONValue] = [
            "name": "node-exporter",
            "image": .string(spec.image),
            "imagePullPolicy": "IfNotPresent",
            "args": [
                "--path.procfs=/host/proc",
                "--path.sysfs=/host/sys",
                "--path.rootfs=/host/root",
                .string("--web.listen-address=:\(port)"),
                "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/kubelet/.+)($|/)",
            ],
            "ports": [Workload.port("metrics", port, hostPort: port)],
            "resources": spec.resources.json,
            "securityContext": NodeAgentSecurity.container(user: runAsUser),
            "volumeMounts": [
                Workload.mount("proc", "/host/proc", readOnly: true),
                Workload.mount("sys", "/host/sys", readOnly: true),
                ["name": "root", "mountPath": "/host/root", "readOnly": true, "mountPropagation": "HostToContainer"],
            ],
        ]
        container.merge([
            "readinessProbe": Workload.httpProbe(path: "/", port: "metrics", period: 10, failureThreshold: 3),
            "livenessProbe": Workload.httpProbe(path: "/", port: "metrics", period: 20, failureThreshold: 3),
        ]) { $1 }
        return [ChildMetadata.object(.daemonSets, meta.metadata(.nodeExporter), [
            "spec": [
                "selector": ["matchLabels": meta.selectorLabels(.nodeExporter)],
                "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1]],
                "template": [
                    "metadata": [
                        "labels": meta.labels(.nodeExporter),
                        "annotations": [
                            "prometheus.io/scrape": "true",
                            "prometheus.io/port": .string(String(port)),
                            "prometheus.io/path": "/metrics",
                        ],
                    ],
                    "spec": [
                        "automountServiceAccountToken": false,
                        "enableServiceLinks": false,
                        "hostNetwork": true,
                        "hostPID": true,
                        "dnsPolicy": "ClusterFirstWithHostNet",
                        "securityContext": [
                            "runAsNonRoot": true, "runAsUser": .int(runAsUser), "runAsGroup": .int(runAsUser),
                            "seccompProfile": ["type": "RuntimeDefault"],
                        ],
                        "tolerations": NodeAgentSecurity.tolerateEverything,
                        "containers": [.object(container)],
                        "volumes": [
                            NodeAgentSecurity.hostPath("proc", "/proc"),
                            NodeAgentSecurity.hostPath("sys", "/sys"),
                            NodeAgentSecurity.hostPath("root", "/"),
                        ],
                    ],
                ],
            ]
        ])]
    }
}
