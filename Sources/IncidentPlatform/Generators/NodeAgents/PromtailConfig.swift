import KubeCore

/// The promtail configuration: Kubernetes pod discovery limited to the platform's namespace and its pods; tails
/// `/var/log/pods/*` and pushes to the platform's Loki.
///
/// Each promtail tails only its own node's pods: the node name goes into `__host__`, and promtail drops targets
/// whose `__host__` is not its `HOSTNAME` (set from `spec.nodeName`). No `-config.expand-env`: it would expand the
/// `$1` of the path replacement as an environment variable (grafana/loki#3635).
enum PromtailConfig {
    /// promtail's HTTP port (metrics and readiness).
    static let httpPort = 3101
    /// Where the positions file lives (an emptyDir: the host mounts are all read-only).
    static let positionsPath = "/run/promtail"

    /// The configuration as a JSON value (emitted as YAML into the ConfigMap).
    static func document(platform: String, namespace: String, lokiPushURL: String) -> JSONValue {
        [
            "server": ["http_listen_port": .int(httpPort), "grpc_listen_port": 0, "log_level": "info"],
            "positions": ["filename": .string("\(positionsPath)/positions.yaml")],
            "clients": [["url": .string(lokiPushURL)]],
            "scrape_configs": [[
                "job_name": "kubernetes-pods",
                "kubernetes_sd_configs": [[
                    "role": "pod",
                    "namespaces": ["names": [.string(namespace)]],
                    "selectors": [[
                        "role": "pod",
                        "label": .string("app.kubernetes.io/instance=\(platform)"),
                    ]],
                ]],
                "pipeline_stages": [["cri": [:]]],
                "relabel_configs": [
                    PrometheusConfig.keep("__meta_kubernetes_pod_label_app_kubernetes_io_instance", PrometheusConfig.exact(platform)),
                    PrometheusConfig.copy("__meta_kubernetes_namespace", to: "namespace"),
                    PrometheusConfig.copy("__meta_kubernetes_pod_name", to: "pod"),
                    PrometheusConfig.copy("__meta_kubernetes_pod_container_name", to: "container"),
                    PrometheusConfig.copy("__meta_kubernetes_pod_label_app_kubernetes_io_name", to: "app"),
                    PrometheusConfig.copy("__meta_kubernetes_pod_node_name", to: "node"),
                    PrometheusConfig.copy("__meta_kubernetes_pod_node_name", to: "__host__"),
                    [
                        "source_labels": ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"],
                        "separator": "/", "target_label": "__path__",
                        "replacement": "/var/log/pods/*$1/*.log", "action": "replace",
                    ],
                ],
            ]],
        ]
    }
}
