import KubeCore

/// The dashboards Grafana is provisioned with (five, and SLOs when the alerting rules record them). Every query uses only the metric names listed in
/// `docs/metrics.md` (a test parses them out of each expression), and every uid is stable across renders.
enum GrafanaDashboards {
    /// Which datasource a dashboard needs: it is left out when that datasource's component is disabled. `sloRules`:
    /// Prometheus with the SLO recording rules of the alerting rule file (`spec.alerting.enabled`).
    enum Needs: Sendable { case prometheus, loki, sloRules }

    /// The application services' job / `app` label values, as the Prometheus scrape config names them.
    static let serviceJobs = "alert-ingestion|incident-management|oncall-service|web-ui"

    /// Every dashboard with the datasource it needs, in a stable order.
    static let all: [(dashboard: GrafanaDashboard, needs: Needs)] = [
        (incidentOverview, .prometheus),
        (sreMetrics, .prometheus),
        (serviceHealth, .prometheus),
        (nodes, .prometheus),
        (logs, .loki),
        (slos, .sloRules),
    ]

    /// The dashboards for the enabled datasources, as `<uid>.json` file name → pretty JSON (sorted keys).
    static func files(prometheus: Bool, loki: Bool, sloRules: Bool = false) -> [String: String] {
        var files: [String: String] = [:]
        for (dashboard, needs) in all
        where (needs == .prometheus && prometheus) || (needs == .loki && loki) || (needs == .sloRules && prometheus && sloRules) {
            files["\(dashboard.uid).json"] = dashboard.json.prettyJSONString()
        }
        return files
    }

    private typealias Panel = GrafanaDashboard.Panel
    private typealias Query = GrafanaDashboard.Query

    /// Mean of a histogram over a window: sum of observations divided by their count.
    /// The mean of an incident histogram over `window`. The incident metrics are read from the database, so every
    /// incident-management replica reports the same values: replicas are collapsed with `max` first (a plain `sum`
    /// would multiply by the replica count), then the severities are summed.
    private static func mean(_ histogram: String, window: String) -> String {
        "sum(max by (severity) (increase(\(histogram)_sum[\(window)]))) / sum(max by (severity) (increase(\(histogram)_count[\(window)])))"
    }

    /// An incident metric per severity, one value whatever the number of incident-management replicas.
    private static func perSeverity(_ expr: String) -> String { "max by (severity) (\(expr))" }

    /// A quantile of an incident histogram: replicas collapsed with `max` per bucket and severity, then summed.
    private static func incidentQuantile(_ q: String, _ histogram: String, window: String) -> String {
        "histogram_quantile(\(q), sum by (le) (max by (le, severity) (rate(\(histogram)_bucket[\(window)]))))"
    }

    private static func quantile(_ q: String, _ histogram: String, by: String, window: String, filter: String = "") -> String {
        let selector = filter.isEmpty ? "" : "{\(filter)}"
        return "histogram_quantile(\(q), sum by (\(by)) (rate(\(histogram)_bucket\(selector)[\(window)])))"
    }

    /// Incident Overview: open incidents by severity, MTTA, MTTR.
    static let incidentOverview: GrafanaDashboard = {
        var d = GrafanaDashboard(
            uid: "incidentops-incident-overview", title: "Incident Overview",
            description: "Open incidents by severity, mean time to acknowledge (MTTA) and to resolve (MTTR).")
        d.add(Panel(kind: .stat, title: "Open incidents", datasource: .prometheus,
                    queries: [Query(expr: "sum(\(perSeverity("incidents_open")))")], width: 6, height: 6))
        d.add(Panel(kind: .stat, title: "MTTA (24h)", datasource: .prometheus,
                    queries: [Query(expr: mean("incident_time_to_acknowledge_seconds", window: "24h"))],
                    unit: "s", width: 6, height: 6))
        d.add(Panel(kind: .stat, title: "MTTR (24h)", datasource: .prometheus,
                    queries: [Query(expr: mean("incident_time_to_resolve_seconds", window: "24h"))],
                    unit: "s", width: 6, height: 6))
        d.add(Panel(kind: .stat, title: "Incidents created (24h)", datasource: .prometheus,
                    queries: [Query(expr: "sum(\(perSeverity("increase(incidents_created_total[24h])")))")], width: 6, height: 6))
        d.add(Panel(kind: .bargauge, title: "Open incidents by severity", datasource: .prometheus,
                    queries: [Query(expr: perSeverity("incidents_open"), legend: "{{severity}}")]))
        d.add(Panel(kind: .timeseries, title: "Open incidents over time", datasource: .prometheus,
                    queries: [Query(expr: perSeverity("incidents_open"), legend: "{{severity}}")]))
        d.add(Panel(kind: .timeseries, title: "MTTA by severity (1h window)", datasource: .prometheus,
                    queries: [Query(
                        expr: perSeverity("rate(incident_time_to_acknowledge_seconds_sum[1h])") + " / " + perSeverity("rate(incident_time_to_acknowledge_seconds_count[1h])"),
                        legend: "{{severity}}")],
                    unit: "s"))
        d.add(Panel(kind: .timeseries, title: "MTTR by severity (1h window)", datasource: .prometheus,
                    queries: [Query(
                        expr: perSeverity("rate(incident_time_to_resolve_seconds_sum[1h])") + " / " + perSeverity("rate(incident_time_to_resolve_seconds_count[1h])"),
                        legend: "{{severity}}")],
                    unit: "s"))
        return d
    }()

    /// SRE Metrics: MTTA and MTTR trends, incident volume.
    static let sreMetrics: GrafanaDashboard = {
        var d = GrafanaDashboard(
            uid: "incidentops-sre-metrics", title: "SRE Metrics",
            description: "MTTA and MTTR trends (mean and 90th percentile) and incident volume.")
        d.add(Panel(kind: .timeseries, title: "MTTA trend", datasource: .prometheus,
                    queries: [
                        Query(expr: mean("incident_time_to_acknowledge_seconds", window: "1h"), legend: "mean"),
                        Query(expr: incidentQuantile("0.9", "incident_time_to_acknowledge_seconds", window: "1h"), legend: "p90"),
                    ], unit: "s"))
        d.add(Panel(kind: .timeseries, title: "MTTR trend", datasource: .prometheus,
                    queries: [
                        Query(expr: mean("incident_time_to_resolve_seconds", window: "1h"), legend: "mean"),
                        Query(expr: incidentQuantile("0.9", "incident_time_to_resolve_seconds", window: "1h"), legend: "p90"),
                    ], unit: "s"))
        d.add(Panel(kind: .timeseries, title: "Incidents created per hour", datasource: .prometheus,
                    queries: [Query(expr: perSeverity("increase(incidents_created_total[1h])"), legend: "{{severity}}")]))
        d.add(Panel(kind: .timeseries, title: "Incidents resolved per hour", datasource: .prometheus,
                    queries: [Query(expr: perSeverity("increase(incidents_resolved_total[1h])"), legend: "{{severity}}")]))
        d.add(Panel(kind: .timeseries, title: "Alerts received per second", datasource: .prometheus,
                    queries: [Query(expr: "sum by (source) (rate(alerts_received_total[5m]))", legend: "{{source}}")],
                    unit: "reqps", width: 24))
        return d
    }()

    /// Service Health: request rate, error rate and p50/p95/p99 latency per service.
    static let serviceHealth: GrafanaDashboard = {
        var d = GrafanaDashboard(
            uid: "incidentops-service-health", title: "Service Health",
            description: "Request rate, error rate and latency percentiles of the four application services.")
        d.variables = [[
            "name": "service", "label": "Service", "type": "query",
            "datasource": GrafanaDashboard.Datasource.prometheus.json,
            "definition": "label_values(http_requests_total, service)",
            "query": ["query": "label_values(http_requests_total, service)", "refId": "StandardVariableQuery"],
            "refresh": 2, "includeAll": true, "multi": true, "allValue": ".+", "sort": 1,
            "current": ["text": "All", "value": "$__all"],
        ]]
        let filter = "service=~\"$service\""
        d.add(Panel(kind: .timeseries, title: "Request rate", datasource: .prometheus,
                    queries: [Query(expr: "sum by (service) (rate(http_requests_total{\(filter)}[5m]))", legend: "{{service}}")],
                    unit: "reqps"))
        d.add(Panel(kind: .timeseries, title: "Error rate (5xx share)", datasource: .prometheus,
                    queries: [Query(
                        expr: "sum by (service) (rate(http_requests_total{\(filter), code=~\"5..\"}[5m])) / sum by (service) (rate(http_requests_total{\(filter)}[5m]))",
                        legend: "{{service}}")],
                    unit: "percentunit"))
        d.add(Panel(kind: .timeseries, title: "Latency p50 / p95 / p99", datasource: .prometheus,
                    queries: [
                        Query(expr: quantile("0.5", "http_request_duration_seconds", by: "service, le", window: "5m", filter: filter), legend: "{{service}} p50"),
                        Query(expr: quantile("0.95", "http_request_duration_seconds", by: "service, le", window: "5m", filter: filter), legend: "{{service}} p95"),
                        Query(expr: quantile("0.99", "http_request_duration_seconds", by: "service, le", window: "5m", filter: filter), legend: "{{service}} p99"),
                    ], unit: "s", width: 24))
        d.add(Panel(kind: .stat, title: "Scrape targets up", datasource: .prometheus,
                    queries: [Query(expr: "sum by (job) (up{job=~\"\(serviceJobs)\"})", legend: "{{job}}")],
                    width: 24, height: 5))
        return d
    }()

    /// Nodes: node-exporter CPU, memory and disk.
    static let nodes: GrafanaDashboard = {
        var d = GrafanaDashboard(
            uid: "incidentops-nodes", title: "Nodes",
            description: "CPU, memory, disk and network of every node, from node-exporter.")
        let fs = "fstype!~\"tmpfs|overlay|squashfs\""
        d.add(Panel(kind: .timeseries, title: "CPU busy", datasource: .prometheus,
                    queries: [Query(expr: "1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))", legend: "{{instance}}")],
                    unit: "percentunit"))
        d.add(Panel(kind: .timeseries, title: "Memory used", datasource: .prometheus,
                    queries: [Query(expr: "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", legend: "{{instance}}")],
                    unit: "percentunit"))
        d.add(Panel(kind: .timeseries, title: "Disk used", datasource: .prometheus,
                    queries: [Query(expr: "1 - node_filesystem_avail_bytes{\(fs)} / node_filesystem_size_bytes{\(fs)}", legend: "{{instance}} {{mountpoint}}")],
                    unit: "percentunit"))
        d.add(Panel(kind: .timeseries, title: "Load (1m)", datasource: .prometheus,
                    queries: [Query(expr: "node_load1", legend: "{{instance}}")]))
        d.add(Panel(kind: .timeseries, title: "Network traffic", datasource: .prometheus,
                    queries: [
                        Query(expr: "sum by (instance) (rate(node_network_receive_bytes_total{device!=\"lo\"}[5m]))", legend: "{{instance}} in"),
                        Query(expr: "sum by (instance) (rate(node_network_transmit_bytes_total{device!=\"lo\"}[5m]))", legend: "{{instance}} out"),
                    ], unit: "Bps", width: 24))
        return d
    }()

    /// Logs: the platform's pod logs from Loki, filtered by component and a search text.
    static let logs: GrafanaDashboard = {
        var d = GrafanaDashboard(
            uid: "incidentops-logs", title: "Logs",
            description: "Logs of the platform's pods, collected by promtail into Loki.")
        d.variables = [
            [
                "name": "app", "label": "Component", "type": "custom",
                "query": "alert-ingestion,incident-management,oncall-service,web-ui,postgres,prometheus,grafana,loki,promtail,node-exporter",
                "includeAll": true, "multi": true, "allValue": ".+",
                "current": ["text": "All", "value": "$__all"],
            ],
            [
                "name": "search", "label": "Search", "type": "textbox", "query": "",
                "current": ["text": "", "value": ""],
            ],
        ]
        d.add(Panel(kind: .timeseries, title: "Log lines per component", datasource: .loki,
                    queries: [Query(expr: "sum by (app) (count_over_time({app=~\"$app\"} |~ \"$search\" [5m]))", legend: "{{app}}")],
                    width: 24, height: 6))
        d.add(Panel(kind: .logs, title: "Logs", datasource: .loki,
                    queries: [Query(expr: "{app=~\"$app\"} |~ \"$search\"")], width: 24, height: 20))
        return d
    }()

    /// SLOs: error budget left and burn rates of every service level objective, from the SLO recording rules
    /// (docs/alerting.md). Burn rate = error ratio / error budget: 1 spends the budget exactly in 30 days.
    static let slos: GrafanaDashboard = {
        var d = GrafanaDashboard(
            uid: "incidentops-slos", title: "SLOs",
            description: "Error budget remaining and burn rates of each service's availability and latency objectives (30-day window).")
        d.variables = [[
            "name": "service", "label": "Service", "type": "query",
            "datasource": GrafanaDashboard.Datasource.prometheus.json,
            "definition": "label_values(slo:objective:ratio, sloth_service)",
            "query": ["query": "label_values(slo:objective:ratio, sloth_service)", "refId": "StandardVariableQuery"],
            "refresh": 2, "includeAll": true, "multi": true, "allValue": ".+", "sort": 1,
            "current": ["text": "All", "value": "$__all"],
        ]]
        let filter = "{sloth_service=~\"$service\"}"
        func burn(_ window: String) -> Query {
            Query(expr: "slo:sli_error:ratio_rate\(window)\(filter) / on (sloth_id) group_left slo:error_budget:ratio",
                  legend: "{{sloth_service}} {{sloth_slo}} \(window)")
        }
        d.add(Panel(kind: .stat, title: "Error budget remaining (30d)", datasource: .prometheus,
                    queries: [Query(expr: "slo:period_error_budget_remaining:ratio\(filter)", legend: "{{sloth_service}} {{sloth_slo}}")],
                    unit: "percentunit", width: 16, height: 6))
        d.add(Panel(kind: .stat, title: "Objective", datasource: .prometheus,
                    queries: [Query(expr: "slo:objective:ratio\(filter)", legend: "{{sloth_service}} {{sloth_slo}}")],
                    unit: "percentunit", width: 8, height: 6))
        d.add(Panel(kind: .timeseries, title: "Burn rate, page windows (14.4x over 1h, 6x over 6h)", datasource: .prometheus,
                    queries: [burn("5m"), burn("1h"), burn("6h")]))
        d.add(Panel(kind: .timeseries, title: "Burn rate, ticket windows (3x over 1d, 1x over 3d)", datasource: .prometheus,
                    queries: [burn("1d"), burn("3d")]))
        d.add(Panel(kind: .timeseries, title: "Error budget remaining over time", datasource: .prometheus,
                    queries: [Query(expr: "slo:period_error_budget_remaining:ratio\(filter)", legend: "{{sloth_service}} {{sloth_slo}}")],
                    unit: "percentunit", width: 24))
        return d
    }()
}
