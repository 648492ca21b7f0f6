import Foundation
import Testing
import KubeCore
@testable import IncidentPlatform

/// The alerting rule file in the Prometheus ConfigMap: its alerts, labels, annotations, runbooks and SLO rules.
@Suite("Generators: alerting rules") struct GeneratorAlertingTests {
    private func configMap(_ r: RenderedPlatform) throws -> JSONValue { try r.object("ConfigMap", "demo-prometheus") }

    private func ruleFile(_ r: RenderedPlatform) throws -> JSONValue {
        let text = try #require(configMap(r)["data", AlertingRules.fileName]?.stringValue)
        return try YAML.parse(text)
    }

    private func rules(_ file: JSONValue) -> [JSONValue] {
        (file["groups"]?.arrayValue ?? []).flatMap { $0["rules"]?.arrayValue ?? [] }
    }

    private func alerts(_ file: JSONValue) -> [JSONValue] { rules(file).filter { $0["alert"] != nil } }

    @Test func theRuleFileIsListedInRuleFilesAndChangesTheConfigHash() throws {
        let on = RenderedPlatform()
        let config = try YAML.parse(#require(configMap(on)["data", "prometheus.yml"]?.stringValue))
        #expect(config["rule_files"] == ["/etc/prometheus/alerting-rules.yml"])
        let off = RenderedPlatform { $0.alerting.enabled = false }
        let offConfig = try YAML.parse(#require(configMap(off)["data", "prometheus.yml"]?.stringValue))
        #expect(offConfig["rule_files"] == nil)
        #expect(try configMap(off)["data", AlertingRules.fileName] == nil)
        func hash(_ r: RenderedPlatform) throws -> JSONValue? {
            try r.object("Deployment", "demo-prometheus")["spec", "template", "metadata", "annotations", "incidentops.io/config-hash"]
        }
        #expect(try hash(on) != nil && hash(on) != hash(off))
        let stricter = RenderedPlatform { $0.slo.webUI.availability.objective = 99.99 }
        #expect(try hash(stricter) != hash(on))
    }

    @Test func everyAlertHasTheRequiredLabelsAnnotationsAndARunbook() throws {
        let file = try ruleFile(RenderedPlatform())
        let all = alerts(file)
        #expect(Set(all.compactMap { $0["alert"]?.stringValue }) == Set(AlertingRules.alertNames))
        for alert in all {
            let name = try #require(alert["alert"]?.stringValue)
            #expect(["critical", "warning", "info"].contains(alert["labels", "severity"]?.stringValue ?? ""), "\(name)")
            #expect(alert["labels", "namespace"] == "ops", "\(name)")
            #expect(alert["labels", "platform"] == "demo", "\(name)")
            #expect(alert["annotations", "summary"]?.stringValue?.isEmpty == false, "\(name)")
            #expect(alert["annotations", "description"]?.stringValue?.contains("{{ $value") == true, "\(name)")
            #expect(alert["annotations", "runbook_url"]?.stringValue == PlatformDefaults.runbookBaseURL + name + ".md", "\(name)")
            let runbook = GeneratorTestSupport.repositoryRoot.appendingPathComponent("docs/runbooks/\(name).md")
            #expect(FileManager.default.fileExists(atPath: runbook.path), "no runbook docs/runbooks/\(name).md")
        }
    }

    @Test func theRunbookBaseURLIsTheSpecs() throws {
        let r = RenderedPlatform { $0.alerting.runbookBaseURL = "https://wiki.example.com/runbooks/" }
        for alert in alerts(try ruleFile(r)) {
            #expect(alert["annotations", "runbook_url"]?.stringValue?.hasPrefix("https://wiki.example.com/runbooks/") == true)
        }
    }

    @Test func everyExpressionUsesOnlyDocumentedMetricNames() throws {
        let documented = try GeneratorTestSupport.documentedMetrics()
        for rule in rules(try ruleFile(RenderedPlatform())) {
            let expr = try #require(rule["expr"]?.stringValue)
            let unknown = QueryScanner.metricNames(in: expr).filter { !documented.contains(QueryScanner.baseName($0, known: documented)) }
            #expect(unknown.isEmpty, "\(rule["alert"] ?? rule["record"] ?? "?"): \(unknown.sorted()) not in docs/metrics.md")
        }
    }

    @Test func disabledComponentsDropTheirAlerts() throws {
        let r = RenderedPlatform { $0.monitoring.nodeExporter.enabled = false; $0.monitoring.promtail.enabled = false; $0.monitoring.loki.enabled = false }
        let names = Set(alerts(try ruleFile(r)).compactMap { $0["alert"]?.stringValue })
        #expect(!names.contains("NodeMemoryLow") && !names.contains("LokiRequestErrors"))
        #expect(names.contains("Watchdog") && names.contains("IncidentPlatformServiceDown"))
        let missing = try #require(alerts(try ruleFile(r)).first { $0["alert"] == "IncidentPlatformTargetMissing" })
        #expect(missing["expr"]?.stringValue?.contains("node-exporter") == false)
        #expect(RenderedPlatform { $0.monitoring.prometheus.enabled = false }.all("ConfigMap").allSatisfy { $0.name != "demo-prometheus" })
    }

    @Test func eachServiceHasTwoSLOsWithTheEightWindowsAndTheMetaRules() throws {
        let file = try ruleFile(RenderedPlatform { $0.slo.oncallService.latency.thresholdSeconds = 0.25 })
        let recordings = rules(file).filter { $0["record"] != nil }
        for service in PlatformService.allCases {
            for slo in ["availability", "latency"] {
                let id = "\(service.componentName)-\(slo)"
                let mine = recordings.filter { $0["labels", "sloth_id"]?.stringValue == id }
                #expect(mine.compactMap { $0["record"]?.stringValue } == SLORules.windows.map { "slo:sli_error:ratio_rate\($0)" }
                    + ["slo:objective:ratio", "slo:error_budget:ratio", "slo:period_burn_rate:ratio", "slo:period_error_budget_remaining:ratio"])
                for rule in mine {
                    #expect(rule["labels", "sloth_service"]?.stringValue == service.componentName)
                    #expect(rule["labels", "sloth_slo"]?.stringValue == slo)
                }
                let objective = mine.first { $0["record"] == "slo:objective:ratio" }
                #expect(objective?["expr"] == (slo == "availability" ? "vector(0.999)" : "vector(0.99)"))
            }
        }
        let latency = recordings.first { $0["labels", "sloth_id"] == "oncall-service-latency" }
        #expect(latency?["expr"]?.stringValue?.contains(#"job="oncall-service",le="0.25""#) == true)
        let webLatency = recordings.first { $0["labels", "sloth_id"] == "web-ui-latency" }
        #expect(webLatency?["expr"]?.stringValue?.contains(#"le="0.5""#) == true)
    }

    @Test func burnRateAlertsUseTheWorkbookWindowsAndFactors() throws {
        let file = try ruleFile(RenderedPlatform { $0.slo.webUI.availability.objective = 99.5 })
        let burn = alerts(file).filter { $0["labels", "sloth_id"] == "web-ui-availability" }
        #expect(burn.compactMap { $0["alert"]?.stringValue } == [SLORules.pageAlert, SLORules.ticketAlert])
        let page = try #require(burn.first?["expr"]?.stringValue)
        for fragment in ["ratio_rate5m", "ratio_rate1h", "(14.4 * 0.005)", "ratio_rate30m", "ratio_rate6h", "(6 * 0.005)"] {
            #expect(page.contains(fragment), "\(fragment)")
        }
        #expect(burn.first?["labels", "severity"] == "critical")
        let ticket = try #require(burn.last?["expr"]?.stringValue)
        for fragment in ["ratio_rate2h", "ratio_rate1d", "(3 * 0.005)", "ratio_rate6h", "ratio_rate3d", "(1 * 0.005)"] {
            #expect(ticket.contains(fragment), "\(fragment)")
        }
        #expect(burn.last?["labels", "severity"] == "warning")
    }

    @Test func theSLODashboardFollowsTheRecordingRules() throws {
        func dashboards(_ r: RenderedPlatform) throws -> [String] {
            try r.object("ConfigMap", "demo-grafana-dashboards")["data"]?.objectValue?.keys.sorted() ?? []
        }
        #expect(try dashboards(RenderedPlatform()).contains("incidentops-slos.json"))
        #expect(try !dashboards(RenderedPlatform { $0.alerting.enabled = false }).contains("incidentops-slos.json"))
    }

    @Test func numbersAreWrittenWithoutFloatingPointNoise() {
        #expect(PromQLNumber.text((100 - 99.9) / 100) == "0.001")
        #expect(PromQLNumber.text(99.9 / 100) == "0.999")
        #expect(PromQLNumber.text(14.4) == "14.4")
        #expect(PromQLNumber.text(1) == "1")
        #expect(PromQLNumber.bucketBound(2.5) == "2.5")
    }

    // MARK: PostgreSQL and Alertmanager alerts

    @Test func postgresAndAlertmanagerAlertsReadTheirScrapeJobs() throws {
        let all = alerts(try ruleFile(RenderedPlatform()))
        func alert(_ name: String) throws -> JSONValue { try #require(all.first { $0["alert"]?.stringValue == name }, "\(name)") }
        let down = try alert("PostgresDown")
        #expect(down["expr"] == #"pg_up{job="postgres"} == 0"#)
        #expect(down["for"] == "1m" && down["labels", "severity"] == "critical")
        let connections = try alert("PostgresTooManyConnections")
        #expect(connections["expr"]?.stringValue?.contains("sum by (instance) (pg_stat_activity_count{job=\"postgres\"})") == true)
        #expect(connections["expr"]?.stringValue?.contains("/ max by (instance) (pg_settings_max_connections{job=\"postgres\"}) > 0.8") == true)
        #expect(connections["for"] == "5m" && connections["labels", "severity"] == "warning")
        let failed = try alert("AlertmanagerFailedToSendNotifications")
        #expect(failed["expr"] == #"rate(alertmanager_notifications_failed_total{job="alertmanager"}[5m]) > 0"#)
        #expect(failed["for"] == "5m" && failed["labels", "severity"] == "warning")
        let missing = try alert("IncidentPlatformTargetMissing")["expr"]?.stringValue ?? ""
        #expect(missing.contains(#"absent(up{job="postgres"})"#) && missing.contains(#"absent(up{job="alertmanager"})"#))
    }

    @Test func withoutPrometheusScrapingThereAreNoPostgresOrAlertmanagerAlerts() throws {
        let rules = AlertingRules.document(RenderedPlatform().platform, platformName: "demo", namespace: "ops",
                                           jobs: PrometheusConfig.serviceJobs)
        let names = Set((rules?["groups"]?.arrayValue ?? []).flatMap { $0["rules"]?.arrayValue ?? [] }.compactMap { $0["alert"]?.stringValue })
        #expect(names.contains("IncidentPlatformDatabaseBackupTooOld") && names.contains("Watchdog"))
        #expect(names.isDisjoint(with: ["PostgresDown", "PostgresTooManyConnections", "AlertmanagerFailedToSendNotifications"]))
    }

    @Test func alertmanagerPodsAreScrapedOnTheirWebPort() throws {
        let d = try RenderedPlatform().object("Deployment", "demo-alertmanager")
        let annotations = d["spec", "template", "metadata", "annotations"]
        #expect(annotations?["prometheus.io/scrape"] == "true")
        #expect(annotations?["prometheus.io/port"] == "9093")
        #expect(annotations?["prometheus.io/path"] == "/metrics")
    }
}
