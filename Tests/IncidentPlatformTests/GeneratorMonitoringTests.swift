import Testing
@testable import IncidentPlatform
import KubeCore

@Suite("Generators: monitoring stack")
struct GeneratorMonitoringTests {
    /// Parses a ConfigMap's YAML file back into a value.
    private func file(_ r: RenderedPlatform, _ configMap: String, _ key: String) throws -> JSONValue {
        let text = try #require(try r.object("ConfigMap", configMap)["data", key]?.stringValue)
        return try YAML.parse(text)
    }

    @Test func prometheusDiscoversOnlyThePlatformsNamespaceAndPods() throws {
        let scrape = try PromDuration(parsing: "30s")
        let r = RenderedPlatform { $0.monitoring.prometheus.scrapeInterval = scrape }
        let config = try file(r, "demo-prometheus", "prometheus.yml")
        #expect(config["global", "scrape_interval"] == "30s")
        let jobs = config["scrape_configs"]?.arrayValue ?? []
        #expect(jobs.compactMap { $0["job_name"]?.stringValue }
            == ["prometheus", "alert-ingestion", "incident-management", "oncall-service", "web-ui", "node-exporter", "loki",
                "postgres", "alertmanager", "kubelet"])
        #expect(jobs.first?["static_configs"] == [["targets": ["localhost:9090"]]])
        // Every pod job; the kubelet job (role node, its own test) is last.
        for job in jobs.dropFirst().dropLast() {
            let sd = try #require(job["kubernetes_sd_configs"]?.arrayValue?.first)
            #expect(sd["role"] == "pod")
            #expect(sd["namespaces"] == ["names": ["ops"]])
            let relabel = job["relabel_configs"]?.arrayValue ?? []
            let keeps = relabel.filter { $0["action"] == "keep" }.compactMap { $0["source_labels"]?.arrayValue?.first?.stringValue }
            #expect(keeps.contains("__meta_kubernetes_pod_label_app_kubernetes_io_instance"))
            #expect(keeps.contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape"))
            #expect(relabel.contains { $0["target_label"] == "__metrics_path__" })
            #expect(relabel.contains { $0["target_label"] == "__address__" })
        }
        #expect(try r.container("Deployment", "demo-prometheus")["args"]?.arrayValue?.contains("--storage.tsdb.retention.time=15d") == true)
    }

    @Test func prometheusRBACIsReadOnlyOnWhatDiscoveryNeeds() throws {
        let r = RenderedPlatform()
        let role = try r.object("Role", "demo-prometheus")
        #expect(role["rules"] == [["apiGroups": [""], "resources": ["pods", "services", "endpoints"], "verbs": ["get", "list", "watch"]]])
        let binding = try r.object("RoleBinding", "demo-prometheus")
        #expect(binding["roleRef", "name"] == "demo-prometheus")
        #expect(binding["subjects"] == [["kind": "ServiceAccount", "name": "demo-prometheus", "namespace": "ops"]])
        #expect(r.has("ServiceAccount", "demo-prometheus"))
        #expect(try r.object("Service", "demo-prometheus")["spec", "ports"]?.arrayValue?.first?["port"] == 9090)
        #expect(try r.object("Deployment", "demo-prometheus")["spec", "template", "spec", "serviceAccountName"] == "demo-prometheus")
    }

    @Test func aConfigChangeRollsThePods() throws {
        let scrape = try PromDuration(parsing: "1m")
        let before = try RenderedPlatform().object("Deployment", "demo-prometheus")
        let after = try RenderedPlatform { $0.monitoring.prometheus.scrapeInterval = scrape }.object("Deployment", "demo-prometheus")
        let key = "incidentops.io/config-hash"
        #expect(before["spec", "template", "metadata", "annotations", key] != nil)
        #expect(before["spec", "template", "metadata", "annotations", key] != after["spec", "template", "metadata", "annotations", key])
    }

    @Test func grafanaIsProvisionedWithDatasourcesAndDashboards() throws {
        let r = RenderedPlatform()
        let datasources = try file(r, "demo-grafana-datasources", "datasources.yaml")
        let list = datasources["datasources"]?.arrayValue ?? []
        #expect(list.map { $0["uid"] } == ["prometheus", "loki", "alertmanager"])
        #expect(list.map { $0["url"] } == ["http://demo-prometheus.ops.svc:9090", "http://demo-loki.ops.svc:3100",
                                           "http://demo-alertmanager.ops.svc:9093"])
        let dashboards = try r.object("ConfigMap", "demo-grafana-dashboards")["data"]?.objectValue ?? [:]
        #expect(dashboards.keys.sorted() == [
            "incidentops-incident-overview.json", "incidentops-logs.json", "incidentops-nodes.json",
            "incidentops-service-health.json", "incidentops-slos.json", "incidentops-sre-metrics.json",
        ])
        let provider = try file(r, "demo-grafana-providers", "dashboards.yaml")
        #expect(provider["providers"]?.arrayValue?.first?["options", "path"] == "/etc/grafana/dashboards")
        let c = try r.container("Deployment", "demo-grafana")
        #expect(c["env"]?.arrayValue?.first { $0["name"] == "GF_SECURITY_ADMIN_PASSWORD" }?["valueFrom"]
            == secretRef("demo-grafana-admin", "admin-password"))
        #expect(try r.object("Service", "demo-grafana")["spec", "ports"]?.arrayValue?.first?["port"] == 3000)
        #expect(r.has("PersistentVolumeClaim", "demo-grafana"))
        #expect(try r.object("PersistentVolumeClaim", "demo-grafana")["spec", "resources", "requests", "storage"] == "1Gi")
    }

    @Test func grafanaUsesTheUsersAdminSecret() throws {
        let r = RenderedPlatform { $0.monitoring.grafana.adminSecretRef = SecretReference(name: "grafana-login") }
        let c = try r.container("Deployment", "demo-grafana")
        #expect(c["env"]?.arrayValue?.first { $0["name"] == "GF_SECURITY_ADMIN_USER" }?["valueFrom"] == secretRef("grafana-login", "admin-user"))
    }

    @Test func lokiIsASingleBinaryWithFilesystemStorageOnItsVolume() throws {
        let r = RenderedPlatform()
        let config = try file(r, "demo-loki", "loki.yaml")
        #expect(config["common", "storage", "filesystem", "chunks_directory"] == "/loki/chunks")
        #expect(config["compactor", "retention_enabled"] == true)
        #expect(config["limits_config", "retention_period"] != nil)
        let d = try r.object("Deployment", "demo-loki")
        #expect(d["spec", "strategy"] == ["type": "Recreate"])
        let mounts = try r.container("Deployment", "demo-loki")["volumeMounts"]?.arrayValue ?? []
        #expect(mounts.contains { $0["name"] == "data" && $0["mountPath"] == "/loki" })
        #expect(try r.object("Service", "demo-loki")["spec", "ports"]?.arrayValue?.first?["port"] == 3100)
    }

    @Test func promtailTailsPodLogsIntoThePlatformsLoki() throws {
        let r = RenderedPlatform()
        let config = try file(r, "demo-promtail", "promtail.yaml")
        #expect(config["clients"] == [["url": "http://demo-loki.ops.svc:3100/loki/api/v1/push"]])
        let job = try #require(config["scrape_configs"]?.arrayValue?.first)
        #expect(job["kubernetes_sd_configs"]?.arrayValue?.first?["namespaces"] == ["names": ["ops"]])
        let relabel = job["relabel_configs"]?.arrayValue ?? []
        #expect(relabel.contains { $0["replacement"] == "/var/log/pods/*$1/*.log" })
        // Each promtail keeps its own node's pods: __host__ is compared with HOSTNAME (the node name).
        #expect(relabel.contains { $0["source_labels"] == ["__meta_kubernetes_pod_node_name"] && $0["target_label"] == "__host__" })
        let c = try r.container("DaemonSet", "demo-promtail")
        #expect(c["env"] == [["name": "HOSTNAME", "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]]])
        // -config.expand-env would turn the "$1" above into an empty string.
        #expect(!(c["args"]?.arrayValue ?? []).contains { $0.stringValue?.contains("expand-env") == true })
        let ds = try r.object("DaemonSet", "demo-promtail")
        let pod = try #require(ds["spec", "template", "spec"])
        #expect(pod["tolerations"] == [["operator": "Exists"]])
        let mounts = pod["containers"]?.arrayValue?.first?["volumeMounts"]?.arrayValue ?? []
        let hostVolumes = Set((pod["volumes"]?.arrayValue ?? []).filter { $0["hostPath"] != nil }.compactMap { $0["name"]?.stringValue })
        #expect(hostVolumes == ["pods"])
        for m in mounts where hostVolumes.contains(m["name"]?.stringValue ?? "") {
            #expect(m["readOnly"] == true, "host mounts are read-only")
        }
        let sc = pod["containers"]?.arrayValue?.first?["securityContext"]
        #expect(sc?["allowPrivilegeEscalation"] == false && sc?["capabilities", "drop"] == ["ALL"] && sc?["privileged"] == nil)
    }

    @Test func promtailRBACIsClusterWideReadOfPodsAndNodesOnly() throws {
        let r = RenderedPlatform()
        let role = try r.object("ClusterRole", "ops-demo-promtail")
        #expect(role["rules"] == [["apiGroups": [""], "resources": ["pods", "nodes"], "verbs": ["get", "list", "watch"]]])
        let binding = try r.object("ClusterRoleBinding", "ops-demo-promtail")
        #expect(binding["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "ops-demo-promtail"])
        #expect(binding["subjects"] == [["kind": "ServiceAccount", "name": "demo-promtail", "namespace": "ops"]])
    }

    @Test func prometheusRBACForKubeletVolumeStatsIsNodesAndNodesProxyOnly() throws {
        let r = RenderedPlatform()
        let role = try r.object("ClusterRole", "ops-demo-prometheus")
        #expect(role["rules"] == [
            ["apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"]],
            ["apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]],
        ])
        #expect(role["metadata", "namespace"] == nil && role["metadata", "ownerReferences"] == nil)
        #expect(role["metadata", "labels", "app.kubernetes.io/instance"] == "demo")
        let binding = try r.object("ClusterRoleBinding", "ops-demo-prometheus")
        #expect(binding["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "ops-demo-prometheus"])
        #expect(binding["subjects"] == [["kind": "ServiceAccount", "name": "demo-prometheus", "namespace": "ops"]])
        // The namespaced discovery Role is unchanged.
        #expect(try r.object("Role", "demo-prometheus")["rules"] == [["apiGroups": [""], "resources": ["pods", "services", "endpoints"], "verbs": ["get", "list", "watch"]]])
        for off in [RenderedPlatform { $0.alerting.enabled = false }, RenderedPlatform { $0.monitoring.prometheus.enabled = false }] {
            #expect(!off.has("ClusterRole", "ops-demo-prometheus") && !off.has("ClusterRoleBinding", "ops-demo-prometheus"))
        }
    }

    private func prometheusConfig(_ r: RenderedPlatform) throws -> JSONValue {
        try YAML.parse(#require(r.object("ConfigMap", "demo-prometheus")["data", "prometheus.yml"]?.stringValue))
    }

    @Test func theKubeletJobGoesThroughTheAPIServerProxyAndKeepsOnlyTheNamespacesVolumeStats() throws {
        let config = try prometheusConfig(RenderedPlatform())
        let jobs = config["scrape_configs"]?.arrayValue ?? []
        let kubelet = try #require(jobs.first { $0["job_name"] == "kubelet" })
        #expect(kubelet["scheme"] == "https")
        #expect(kubelet["kubernetes_sd_configs"] == [["role": "node"]])
        #expect(kubelet["tls_config"] == ["ca_file": "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"])
        #expect(kubelet["authorization"] == ["credentials_file": "/var/run/secrets/kubernetes.io/serviceaccount/token"])
        #expect(kubelet["relabel_configs"] == [
            ["target_label": "__address__", "replacement": "kubernetes.default.svc:443", "action": "replace"],
            ["source_labels": ["__meta_kubernetes_node_name"], "regex": "(.+)", "target_label": "__metrics_path__",
             "replacement": "/api/v1/nodes/${1}/proxy/metrics", "action": "replace"],
            ["source_labels": ["__meta_kubernetes_node_name"], "target_label": "instance", "action": "replace"],
        ])
        #expect(kubelet["metric_relabel_configs"] == [
            ["source_labels": ["__name__", "namespace"], "regex": "kubelet_volume_stats_.+;ops", "action": "keep"],
        ])
        // A namespace with regex metacharacters is matched literally.
        let dotted = PrometheusConfig.kubeletJob(namespace: "a.b")
        #expect(dotted["metric_relabel_configs"]?.arrayValue?.first?["regex"] == "kubelet_volume_stats_.+;a\\.b")
        // Without alerting there is no kubelet job.
        let off = try prometheusConfig(RenderedPlatform { $0.alerting.enabled = false })
        #expect(off["scrape_configs"]?.arrayValue?.contains { $0["job_name"] == "kubelet" } == false)
    }

    @Test func nodeExporterReadsTheHostReadOnlyOnPort9100() throws {
        let r = RenderedPlatform()
        let ds = try r.object("DaemonSet", "demo-node-exporter")
        let pod = try #require(ds["spec", "template", "spec"])
        #expect(pod["tolerations"] == [["operator": "Exists"]])
        #expect(pod["hostNetwork"] == true)
        let paths = Set((pod["volumes"]?.arrayValue ?? []).compactMap { $0["hostPath", "path"]?.stringValue })
        #expect(paths == ["/proc", "/sys", "/"])
        let c = try #require(pod["containers"]?.arrayValue?.first)
        #expect(c["ports"]?.arrayValue?.first?["containerPort"] == 9100)
        #expect((c["volumeMounts"]?.arrayValue ?? []).allSatisfy { $0["readOnly"] == true })
        #expect(c["securityContext", "runAsNonRoot"] == true)
        #expect(ds["spec", "template", "metadata", "annotations", "prometheus.io/port"] == "9100")
    }
}

@Suite("Generators: Grafana without Prometheus")
struct GeneratorGrafanaWithoutPrometheusTests {
    @Test func theHomeDashboardIsOnlySetWhenItExists() throws {
        let key = "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"
        let with = try RenderedPlatform().container("Deployment", "demo-grafana")["env"]?.arrayValue ?? []
        #expect(with.contains { $0["name"] == .string(key) && $0["value"] == "/etc/grafana/dashboards/incidentops-incident-overview.json" })
        let r = RenderedPlatform { $0.monitoring.prometheus.enabled = false }
        let without = try r.container("Deployment", "demo-grafana")["env"]?.arrayValue ?? []
        #expect(!without.contains { $0["name"] == .string(key) })
        #expect(try r.object("ConfigMap", "demo-grafana-dashboards")["data"]?.objectValue?.keys.sorted() == ["incidentops-logs.json"])
    }
}
