import Foundation
import Testing
@testable import IncidentPlatform
import KubeCore

@Suite("Grafana dashboards")
struct GeneratorDashboardTests {
    private var dashboards: [JSONValue] { GrafanaDashboards.all.map(\.dashboard.json) }

    /// Every expression of every panel and every query variable, with the datasource type it runs on.
    private func expressions() -> [(dashboard: String, type: String, expr: String)] {
        var result: [(String, String, String)] = []
        for d in dashboards {
            let uid = d["uid"]?.stringValue ?? "?"
            for panel in d["panels"]?.arrayValue ?? [] {
                for target in panel["targets"]?.arrayValue ?? [] {
                    result.append((uid, target["datasource", "type"]?.stringValue ?? "?", target["expr"]?.stringValue ?? ""))
                }
            }
            for variable in d["templating", "list"]?.arrayValue ?? [] where variable["type"]?.stringValue == "query" {
                // `label_values(metric, label)`: the metric is the first argument, the label is not a metric.
                let definition = variable["definition"]?.stringValue ?? ""
                let metric = definition.replacingOccurrences(
                    of: #"^label_values\((.+),\s*\w+\)$"#, with: "$1", options: .regularExpression)
                result.append((uid, variable["datasource", "type"]?.stringValue ?? "?", metric))
            }
        }
        return result
    }

    @Test func theDashboardsHaveStableUniqueUIDs() {
        let uids = dashboards.compactMap { $0["uid"]?.stringValue }
        #expect(uids == [
            "incidentops-incident-overview", "incidentops-sre-metrics", "incidentops-service-health",
            "incidentops-nodes", "incidentops-logs", "incidentops-slos",
        ])
        #expect(Set(uids).count == uids.count)
        #expect(dashboards.map { $0["title"]?.stringValue } == ["Incident Overview", "SRE Metrics", "Service Health", "Nodes", "Logs", "SLOs"])
        // Stable: building them again gives the same bytes.
        #expect(GrafanaDashboards.files(prometheus: true, loki: true) == GrafanaDashboards.files(prometheus: true, loki: true))
    }

    @Test func dashboardsAreGrafanaSchema39WithWellFormedPanels() throws {
        for d in dashboards {
            #expect(d["schemaVersion"] == 39)
            let panels = try #require(d["panels"]?.arrayValue)
            #expect(!panels.isEmpty)
            let ids = panels.compactMap { $0["id"]?.intValue }
            #expect(Set(ids).count == panels.count, "panel ids must be unique in \(d["uid"]?.stringValue ?? "")")
            for panel in panels {
                let x = try #require(panel["gridPos", "x"]?.intValue)
                let w = try #require(panel["gridPos", "w"]?.intValue)
                #expect(x >= 0 && w > 0 && x + w <= 24)
                #expect((panel["targets"]?.arrayValue?.count ?? 0) > 0)
                #expect(panel["title"]?.stringValue?.isEmpty == false)
            }
        }
    }

    @Test func everyQueryUsesAProvisionedDatasourceUID() {
        let uids = Set([GrafanaDatasources.prometheusUID, GrafanaDatasources.lokiUID])
        for d in dashboards {
            for panel in d["panels"]?.arrayValue ?? [] {
                #expect(uids.contains(panel["datasource", "uid"]?.stringValue ?? ""))
                for target in panel["targets"]?.arrayValue ?? [] {
                    #expect(target["datasource"] == panel["datasource"])
                }
            }
        }
        let provisioned = GrafanaDatasources.datasources(prometheusURL: "http://p:9090", lokiURL: "http://l:3100", scrapeInterval: "15s")
        #expect(Set((provisioned["datasources"]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }) == uids)
    }

    @Test func everyPromQLExpressionUsesOnlyDocumentedMetricNames() throws {
        let documented = try GeneratorTestSupport.documentedMetrics()
        #expect(documented.contains("incidents_open"))
        #expect(documented.contains("node_cpu_seconds_total"))
        var used: Set<String> = []
        for (uid, type, expr) in expressions() where type == "prometheus" {
            let names = QueryScanner.metricNames(in: expr)
            #expect(!names.isEmpty, "no metric in \(expr)")
            for name in names {
                let base = QueryScanner.baseName(name, known: documented)
                #expect(documented.contains(base), "\(uid): \(name) in \(expr) is not in docs/metrics.md")
                used.insert(base)
            }
        }
        // The required ones are really queried.
        for required in ["incidents_open", "incident_time_to_acknowledge_seconds", "incident_time_to_resolve_seconds",
                         "incidents_created_total", "http_requests_total", "http_request_duration_seconds",
                         "node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_filesystem_avail_bytes"] {
            #expect(used.contains(required), "\(required) is documented but no panel uses it")
        }
    }

    @Test func theScannerFindsMetricNamesAndIgnoresTheRest() {
        let names = QueryScanner.metricNames(
            in: #"histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{service=~"$service", code="5.."}[5m]))) / on(job) group_left up offset 5m"#)
        #expect(names == ["http_request_duration_seconds_bucket", "up"])
        #expect(QueryScanner.baseName("http_request_duration_seconds_bucket", known: ["http_request_duration_seconds"]) == "http_request_duration_seconds")
        #expect(QueryScanner.metricNames(in: "1 - node_load1 * 2e3") == ["node_load1"])
    }

    @Test func lokiQueriesSelectOnlyPromtailLabels() {
        let promtailLabels: Set<String> = ["namespace", "pod", "container", "app", "node"]
        let loki = expressions().filter { $0.type == "loki" }
        #expect(!loki.isEmpty)
        for (_, _, expr) in loki {
            #expect(QueryScanner.metricNames(in: expr).isEmpty, "LogQL \(expr) should name no metric")
            let labels = QueryScanner.matcherLabels(in: expr)
            #expect(!labels.isEmpty && labels.isSubset(of: promtailLabels), "\(expr) uses \(labels)")
        }
    }

    @Test func dashboardsOfDisabledDatasourcesAreLeftOut() {
        #expect(GrafanaDashboards.files(prometheus: true, loki: true).count == 5)
        #expect(Array(GrafanaDashboards.files(prometheus: false, loki: true).keys) == ["incidentops-logs.json"])
        #expect(GrafanaDashboards.files(prometheus: true, loki: false).count == 4)
        #expect(GrafanaDashboards.files(prometheus: true, loki: true, sloRules: true).count == 6)
        #expect(GrafanaDashboards.files(prometheus: false, loki: true, sloRules: true).count == 1)
        let onlyLoki = GrafanaDatasources.datasources(prometheusURL: nil, lokiURL: "http://l", scrapeInterval: "15s")
        #expect(onlyLoki["datasources"]?.arrayValue?.count == 1)
        #expect(onlyLoki["datasources"]?.arrayValue?.first?["isDefault"] == true)
    }

    @Test func dashboardFilesAreValidJSON() throws {
        for (name, text) in GrafanaDashboards.files(prometheus: true, loki: true, sloRules: true) {
            let parsed = try JSONValue(json: text)
            #expect("\(parsed["uid"]?.stringValue ?? "").json" == name)
        }
    }
}
