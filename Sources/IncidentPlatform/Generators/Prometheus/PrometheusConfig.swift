import KubeCore

/// The `prometheus.yml` document: Prometheus scrapes itself, the four application services and node-exporter.
/// Discovery is limited to the platform's namespace and its pods' labels, and honours the
/// `prometheus.io/scrape|port|path` pod annotations.
enum PrometheusConfig {
    /// The scrape jobs for the application services, in order: job name = `app.kubernetes.io/name`.
    static let serviceJobs = ["alert-ingestion", "incident-management", "oncall-service", "web-ui"]

    /// The whole configuration as a JSON value (emitted as YAML into the ConfigMap).
    ///
    /// - Parameters:
    ///   - platform: the IncidentPlatform's name (the `app.kubernetes.io/instance` label of its pods).
    ///   - namespace: the platform's namespace, the only one discovery looks at.
    ///   - scrapeInterval: a Prometheus duration such as `15s`.
    ///   - jobs: the `app.kubernetes.io/name` values to scrape besides Prometheus itself.
    ///   - ruleFiles: the paths of the rule files (`rule_files`); none leaves the key out.
    ///   - alertmanagers: `host:port` of the Alertmanager Service (`alerting.alertmanagers`); none leaves the key out.
    ///   - kubelet: add the ``kubeletJob(namespace:)`` (the volume alerts need it; only with alerting enabled).
    static func document(platform: String, namespace: String, scrapeInterval: String, jobs: [String],
                         ruleFiles: [String] = [], alertmanagers: [String] = [], kubelet: Bool = false) -> JSONValue {
        var scrapeConfigs: [JSONValue] = [
            ["job_name": "prometheus", "static_configs": [["targets": ["localhost:9090"]]]]
        ]
        for job in jobs {
            scrapeConfigs.append(podJob(job, platform: platform, namespace: namespace))
        }
        if kubelet { scrapeConfigs.append(kubeletJob(namespace: namespace)) }
        var document: JSONValue = [
            "global": [
                "scrape_interval": .string(scrapeInterval),
                "evaluation_interval": .string(scrapeInterval),
                "external_labels": ["platform": .string(platform), "namespace": .string(namespace)],
            ],
            "scrape_configs": .array(scrapeConfigs),
        ]
        if !ruleFiles.isEmpty { document["rule_files"] = .array(ruleFiles.map(JSONValue.string)) }
        if !alertmanagers.isEmpty {
            document["alerting"] = ["alertmanagers": [[
                "scheme": "http", "api_version": "v2", "timeout": "10s",
                "static_configs": [["targets": .array(alertmanagers.map(JSONValue.string))]],
            ]]]
        }
        return document
    }

    /// The kubelet job's name.
    static let kubeletJobName = "kubelet"
    /// The in-cluster ServiceAccount files the kubelet job authenticates with.
    static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Each node's kubelet `/metrics` through the API server proxy (`/api/v1/nodes/<node>/proxy/metrics`, which
    /// needs `nodes/proxy` get), so Prometheus never talks to a kubelet port directly. Only the
    /// `kubelet_volume_stats_*` series of `namespace` are kept: nothing else the kubelet exposes is stored.
    /// `instance` is the node's name.
    static func kubeletJob(namespace: String) -> JSONValue {
        [
            "job_name": .string(kubeletJobName),
            "scheme": "https",
            "kubernetes_sd_configs": [["role": "node"]],
            "tls_config": ["ca_file": .string("\(serviceAccountDirectory)/ca.crt")],
            "authorization": ["credentials_file": .string("\(serviceAccountDirectory)/token")],
            "relabel_configs": [
                ["target_label": "__address__", "replacement": "kubernetes.default.svc:443", "action": "replace"],
                [
                    "source_labels": ["__meta_kubernetes_node_name"], "regex": "(.+)",
                    "target_label": "__metrics_path__", "replacement": "/api/v1/nodes/${1}/proxy/metrics",
                    "action": "replace",
                ],
                copy("__meta_kubernetes_node_name", to: "instance"),
            ],
            "metric_relabel_configs": [[
                "source_labels": ["__name__", "namespace"], "regex": .string("kubelet_volume_stats_.+;\(exact(namespace))"),
                "action": "keep",
            ]],
        ]
    }

    /// A Prometheus/RE2 regular expression that matches exactly `literal` (names may contain dots).
    static func exact(_ literal: String) -> String {
        var out = ""
        for ch in literal {
            if "\\.+*?()|[]{}^$".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// One job discovering the platform's pods named `component`, in `namespace` only.
    private static func podJob(_ component: String, platform: String, namespace: String) -> JSONValue {
        let selector = "app.kubernetes.io/instance=\(platform),app.kubernetes.io/name=\(component)"
        var relabel: [JSONValue] = [
            keep("__meta_kubernetes_pod_label_app_kubernetes_io_part_of", ChildMetadata.partOf),
            keep("__meta_kubernetes_pod_label_app_kubernetes_io_instance", exact(platform)),
            keep("__meta_kubernetes_pod_label_app_kubernetes_io_name", exact(component)),
            keep("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"),
            [
                "source_labels": ["__meta_kubernetes_pod_phase"], "regex": "Pending|Succeeded|Failed|Unknown",
                "action": "drop",
            ],
            [
                "source_labels": ["__meta_kubernetes_pod_annotation_prometheus_io_path"], "regex": "(.+)",
                "target_label": "__metrics_path__", "action": "replace",
            ],
            [
                "source_labels": ["__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"],
                "regex": "([^:]+)(?::\\d+)?;(\\d+)", "replacement": "$1:$2",
                "target_label": "__address__", "action": "replace",
            ],
            copy("__meta_kubernetes_namespace", to: "namespace"),
            copy("__meta_kubernetes_pod_name", to: "pod"),
            copy("__meta_kubernetes_pod_label_app_kubernetes_io_name", to: "app"),
        ]
        // node-exporter runs on the host network: name the target after its node, not the pod IP.
        relabel.append(copy("__meta_kubernetes_pod_node_name", to: component == "node-exporter" ? "instance" : "node"))
        return [
            "job_name": .string(component),
            "kubernetes_sd_configs": [[
                "role": "pod",
                "namespaces": ["names": [.string(namespace)]],
                "selectors": [["role": "pod", "label": .string(selector)]],
            ]],
            "relabel_configs": .array(relabel),
        ]
    }

    /// A relabel rule that keeps targets whose `label` matches `regex` (shared with promtail's configuration).
    static func keep(_ label: String, _ regex: String) -> JSONValue {
        ["source_labels": [.string(label)], "regex": .string(regex), "action": "keep"]
    }

    /// A relabel rule that copies `label` into `target` (shared with promtail's configuration).
    static func copy(_ label: String, to target: String) -> JSONValue {
        ["source_labels": [.string(label)], "target_label": .string(target), "action": "replace"]
    }
}
