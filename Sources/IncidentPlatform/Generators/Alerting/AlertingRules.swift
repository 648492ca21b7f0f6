import KubeCore

/// The Prometheus rule file (`alerting-rules.yml` in the Prometheus ConfigMap): platform, node, Loki, backup and
/// Watchdog alerts, then the SLO recording rules and burn-rate alerts of ``SLORules``. Every alert carries the
/// labels `severity`, `namespace`, `platform` and the annotations `summary`, `description`, `runbook_url`.
enum AlertingRules {
    /// The file name in the ConfigMap and in `rule_files`.
    static let fileName = "alerting-rules.yml"

    /// The whole rule file as a JSON value (emitted as YAML), or `nil` when alerting is disabled.
    ///
    /// - Parameters:
    ///   - jobs: the scrape jobs besides `prometheus` (services, then node-exporter and loki when they run).
    static func document(_ platform: IncidentPlatform, platformName: String, namespace: String, jobs: [String]) -> JSONValue? {
        let alerting = platform.spec.alerting
        guard alerting.enabled else { return nil }
        func rules(_ list: [AlertRule]) -> JSONValue {
            .array(list.map { $0.json(platform: platformName, namespace: namespace, runbookBaseURL: alerting.runbookBaseURL) })
        }
        var groups: [JSONValue] = [
            ["name": "incident-platform.services", "rules": rules(serviceAlerts(jobs: jobs))],
        ]
        if jobs.contains(PlatformComponent.nodeExporter.componentName) {
            groups.append(["name": "incident-platform.nodes", "rules": rules(nodeAlerts)])
        }
        if jobs.contains(PlatformComponent.loki.componentName) {
            groups.append(["name": "incident-platform.loki", "rules": rules([lokiRequestErrors])])
        }
        groups.append(["name": "incident-platform.volumes", "rules": rules(volumeAlerts(namespace: namespace))])
        let postgres = jobs.contains(PlatformComponent.postgres.componentName) ? postgresAlerts : []
        groups.append(["name": "incident-platform.database", "rules": rules(postgres + [backupTooOld])])
        if jobs.contains(PlatformComponent.alertmanager.componentName) {
            groups.append(["name": "incident-platform.alertmanager", "rules": rules([alertmanagerFailedToSendNotifications])])
        }
        groups.append(["name": "incident-platform.meta", "rules": rules([watchdog])])
        for service in PlatformService.allCases {
            for slo in SLORules.objectives(service, platform.spec.slo[service]) {
                groups += slo.groups { rules($0) }
            }
        }
        return ["groups": .array(groups)]
    }

    /// Every alert name the file can contain (each has a runbook).
    static let alertNames = [
        "IncidentPlatformServiceDown", "IncidentPlatformHighErrorRate", "IncidentPlatformHighLatency",
        "IncidentPlatformTargetMissing", "NodeFilesystemAlmostFull", "NodeFilesystemFillingUp", "NodeMemoryLow",
        "LokiRequestErrors", "KubePersistentVolumeAlmostFull", "KubePersistentVolumeFillingUp", "PostgresDown",
        "PostgresTooManyConnections", "IncidentPlatformDatabaseBackupTooOld", "AlertmanagerFailedToSendNotifications",
        "Watchdog",
        SLORules.pageAlert, SLORules.ticketAlert,
    ]

    /// `job=~"alert-ingestion|incident-management|oncall-service|web-ui"`.
    static var serviceJobMatcher: String { #"job=~"\#(PrometheusConfig.serviceJobs.joined(separator: "|"))""# }

    // MARK: Services

    static func serviceAlerts(jobs: [String]) -> [AlertRule] {
        let services = serviceJobMatcher
        return [
            AlertRule(
                name: "IncidentPlatformServiceDown",
                expr: "up{\(services)} == 0", forDuration: "2m", severity: .critical,
                summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
                description: "Prometheus has failed to scrape {{ $labels.job }} at {{ $labels.instance }} (pod {{ $labels.pod }}) for 2 minutes (up = {{ $value }})."),
            AlertRule(
                name: "IncidentPlatformHighErrorRate",
                expr: "sum by (job) (rate(http_requests_total{\(services),code=~\"5..\"}[5m]))\n  / sum by (job) (rate(http_requests_total{\(services)}[5m])) > 0.05",
                forDuration: "5m", severity: .critical,
                summary: "{{ $labels.job }} answers more than 5 % of requests with 5xx",
                description: "{{ $labels.job }} answered {{ $value | humanizePercentage }} of its requests with a 5xx status over the last 5 minutes (threshold 5 %)."),
            AlertRule(
                name: "IncidentPlatformHighLatency",
                expr: "histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{\(services)}[5m]))) > 1",
                forDuration: "10m", severity: .warning,
                summary: "{{ $labels.job }} p99 latency is above 1 s",
                description: "The 99th percentile of {{ $labels.job }}'s request latency has been {{ $value | humanizeDuration }} for 10 minutes (threshold 1 s)."),
            AlertRule(
                name: "IncidentPlatformTargetMissing",
                expr: jobs.map { "absent(up{job=\"\($0)\"})" }.joined(separator: "\n  or "),
                forDuration: "10m", severity: .warning,
                summary: "Prometheus has no target for the job {{ $labels.job }}",
                description: "The scrape job {{ $labels.job }} has had no target at all for 10 minutes (absent = {{ $value }}): its pods are gone or no longer match the discovery labels."),
        ]
    }

    // MARK: Nodes

    static let nodeFilesystems = #"job="node-exporter",fstype!~"tmpfs|overlay|squashfs|ramfs",mountpoint!~"/(proc|sys|run)(/.*)?""#

    static var nodeAlerts: [AlertRule] {
        let fs = nodeFilesystems
        return [
            AlertRule(
                name: "NodeFilesystemAlmostFull",
                expr: "node_filesystem_avail_bytes{\(fs)} / node_filesystem_size_bytes{\(fs)} * 100 < 10",
                forDuration: "15m", severity: .warning,
                summary: "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has less than 10 % free",
                description: "{{ $labels.device }} mounted at {{ $labels.mountpoint }} on node {{ $labels.instance }} has {{ $value | printf \"%.1f\" }} % of its space left."),
            AlertRule(
                name: "NodeFilesystemFillingUp",
                expr: "predict_linear(node_filesystem_avail_bytes{\(fs)}[6h], 24 * 3600) < 0\nand node_filesystem_avail_bytes{\(fs)} / node_filesystem_size_bytes{\(fs)} * 100 < 40",
                forDuration: "1h", severity: .warning,
                summary: "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} will be full within 24 hours",
                description: "At the rate of the last 6 hours, {{ $labels.device }} mounted at {{ $labels.mountpoint }} on node {{ $labels.instance }} runs out of space within 24 hours (predicted free bytes: {{ $value | humanize1024 }})."),
            AlertRule(
                name: "NodeMemoryLow",
                expr: "node_memory_MemAvailable_bytes{job=\"node-exporter\"} / node_memory_MemTotal_bytes{job=\"node-exporter\"} * 100 < 10",
                forDuration: "15m", severity: .warning,
                summary: "Node {{ $labels.instance }} has less than 10 % memory available",
                description: "Node {{ $labels.instance }} has {{ $value | printf \"%.1f\" }} % of its memory available; the kernel may start to kill processes."),
        ]
    }

    // MARK: PostgreSQL (postgres_exporter), Alertmanager

    static var postgresAlerts: [AlertRule] {
        [
            AlertRule(
                name: "PostgresDown",
                expr: "pg_up{job=\"postgres\"} == 0", forDuration: "1m", severity: .critical,
                summary: "PostgreSQL at {{ $labels.instance }} is down",
                description: "postgres_exporter in pod {{ $labels.pod }} cannot connect to its PostgreSQL server (pg_up = {{ $value }}) for 1 minute: every service that needs the database fails."),
            AlertRule(
                name: "PostgresTooManyConnections",
                expr: "sum by (instance) (pg_stat_activity_count{job=\"postgres\"})\n  / max by (instance) (pg_settings_max_connections{job=\"postgres\"}) > 0.8",
                forDuration: "5m", severity: .warning,
                summary: "PostgreSQL at {{ $labels.instance }} uses more than 80 % of max_connections",
                description: "PostgreSQL at {{ $labels.instance }} has used {{ $value | humanizePercentage }} of its max_connections for 5 minutes (threshold 80 %); new connections will soon be refused."),
        ]
    }

    static let alertmanagerFailedToSendNotifications = AlertRule(
        name: "AlertmanagerFailedToSendNotifications",
        expr: "rate(alertmanager_notifications_failed_total{job=\"alertmanager\"}[5m]) > 0",
        forDuration: "5m", severity: .warning,
        summary: "Alertmanager {{ $labels.instance }} fails to send notifications to {{ $labels.integration }}",
        description: "Alertmanager {{ $labels.instance }} has failed {{ $value | printf \"%.2f\" }} notifications per second to the {{ $labels.integration }} integration over the last 5 minutes.")

    // MARK: Persistent volumes (kubelet volume stats of the platform's namespace)

    /// `job="kubelet",namespace="<namespace>"`.
    static func volumeSelector(namespace: String) -> String { #"job="kubelet",namespace="\#(namespace)""# }

    /// As kubernetes-mixin writes them: `KubePersistentVolumeAlmostFull` twice (critical under 3 % free, warning from
    /// 3 % to under 10 %, so one volume raises one of them), `KubePersistentVolumeFillingUp` when the 6 h trend
    /// empties the volume within 4 days and less than 15 % is free. `used_bytes > 0` skips volumes that report no usage.
    static func volumeAlerts(namespace: String) -> [AlertRule] {
        let v = volumeSelector(namespace: namespace)
        let ratio = "kubelet_volume_stats_available_bytes{\(v)}\n  / kubelet_volume_stats_capacity_bytes{\(v)}"
        let used = "kubelet_volume_stats_used_bytes{\(v)} > 0"
        func almostFull(_ severity: AlertRule.Severity, _ condition: String, _ threshold: String) -> AlertRule {
            AlertRule(
                name: "KubePersistentVolumeAlmostFull",
                expr: "(\(ratio)) \(condition)\nand \(used)",
                forDuration: "5m", severity: severity,
                summary: "PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} has less than \(threshold) free",
                description: "The volume of PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} in namespace {{ $labels.namespace }} (node {{ $labels.instance }}) has {{ $value | humanizePercentage }} of its space left (threshold \(threshold)).")
        }
        return [
            almostFull(.critical, "< 0.03", "3 %"),
            almostFull(.warning, "< 0.10\nand (\(ratio)) >= 0.03", "10 %"),
            AlertRule(
                name: "KubePersistentVolumeFillingUp",
                expr: "(\(ratio)) < 0.15\nand \(used)\nand predict_linear(kubelet_volume_stats_available_bytes{\(v)}[6h], 4 * 24 * 3600) < 0",
                forDuration: "1h", severity: .warning,
                summary: "PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} will be full within 4 days",
                description: "At the rate of the last 6 hours, the volume of PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} in namespace {{ $labels.namespace }} (node {{ $labels.instance }}) fills up within 4 days; {{ $value | humanizePercentage }} of it is free."),
        ]
    }

    // MARK: Loki, backup, Watchdog

    static let lokiRequestErrors = AlertRule(
        name: "LokiRequestErrors",
        expr: "sum by (job, route) (rate(loki_request_duration_seconds_count{job=\"loki\",status_code=~\"5..\"}[5m]))\n  / sum by (job, route) (rate(loki_request_duration_seconds_count{job=\"loki\"}[5m])) * 100 > 10",
        forDuration: "15m", severity: .warning,
        summary: "Loki answers more than 10 % of {{ $labels.route }} requests with 5xx",
        description: "Loki answered {{ $value | printf \"%.1f\" }} % of the requests to {{ $labels.route }} with a 5xx status over the last 5 minutes (threshold 10 %).")

    static let backupTooOld = AlertRule(
        name: "IncidentPlatformDatabaseBackupTooOld",
        expr: "time() - incidentops_backup_last_success_timestamp_seconds > 2 * 86400",
        forDuration: "15m", severity: .warning,
        summary: "The last successful database backup is more than 2 days old",
        description: "The last successful backup of the platform database finished {{ $value | humanizeDuration }} ago (threshold 2 days).")

    static let watchdog = AlertRule(
        name: "Watchdog",
        expr: "vector(1)", forDuration: nil, severity: .info,
        summary: "Always firing: the alerting pipeline works",
        description: "This alert always fires (value {{ $value }}). If it stops arriving, Prometheus or the path from Prometheus to the receivers is broken.")
}
