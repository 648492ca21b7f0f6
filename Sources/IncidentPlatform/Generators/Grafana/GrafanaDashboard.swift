import KubeCore

/// A small builder for Grafana dashboard JSON (schemaVersion 39): a title, a stable uid, template variables and a
/// grid of panels laid out row by row, 24 columns wide.
struct GrafanaDashboard: Sendable {
    /// The Grafana schema version every generated dashboard declares.
    static let schemaVersion = 39

    /// The stable uid (also the file name in the provisioning ConfigMap: `<uid>.json`).
    let uid: String
    /// The title shown in Grafana.
    let title: String
    /// One line about what the dashboard shows.
    let description: String
    /// Template variables (`templating.list` entries).
    var variables: [JSONValue] = []
    /// Panels, in reading order.
    private(set) var panels: [Panel] = []

    init(uid: String, title: String, description: String) {
        self.uid = uid
        self.title = title
        self.description = description
    }

    /// A datasource reference by uid (`GrafanaDatasources.prometheusUID` / `lokiUID`).
    struct Datasource: Sendable {
        let type: String
        let uid: String
        var json: JSONValue { ["type": .string(type), "uid": .string(uid)] }
        static let prometheus = Datasource(type: "prometheus", uid: GrafanaDatasources.prometheusUID)
        static let loki = Datasource(type: "loki", uid: GrafanaDatasources.lokiUID)
    }

    /// One query of a panel.
    struct Query: Sendable {
        let expr: String
        var legend: String = ""
    }

    /// One panel: its visualization, size and queries.
    struct Panel: Sendable {
        enum Kind: String, Sendable { case timeseries, stat, logs, gauge, bargauge }
        let kind: Kind
        let title: String
        let datasource: Datasource
        let queries: [Query]
        var unit: String = "short"
        var width: Int = 12
        var height: Int = 8
    }

    /// Adds a panel; panels flow left to right and wrap at 24 columns.
    mutating func add(_ panel: Panel) { panels.append(panel) }

    /// The dashboard as Grafana JSON.
    var json: JSONValue {
        var x = 0, y = 0, rowHeight = 0
        var rendered: [JSONValue] = []
        for (index, panel) in panels.enumerated() {
            if x + panel.width > 24 {
                x = 0
                y += rowHeight
                rowHeight = 0
            }
            rendered.append(Self.render(panel, id: index + 1, x: x, y: y))
            x += panel.width
            rowHeight = max(rowHeight, panel.height)
        }
        return [
            "uid": .string(uid),
            "title": .string(title),
            "description": .string(description),
            "tags": ["incidentops", "incident-platform"],
            "schemaVersion": .int(Self.schemaVersion),
            "version": 1,
            "editable": false,
            "graphTooltip": 1,
            "timezone": "browser",
            "refresh": "30s",
            "time": ["from": "now-6h", "to": "now"],
            "annotations": ["list": []],
            "links": [],
            "templating": ["list": .array(variables)],
            "panels": .array(rendered),
        ]
    }

    private static func render(_ panel: Panel, id: Int, x: Int, y: Int) -> JSONValue {
        let refIDs = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".map { String($0) }
        let targets: [JSONValue] = panel.queries.enumerated().map { index, query in
            var target: JSONValue = [
                "refId": .string(refIDs[index % refIDs.count]),
                "datasource": panel.datasource.json,
                "expr": .string(query.expr),
            ]
            if !query.legend.isEmpty { target["legendFormat"] = .string(query.legend) }
            if panel.datasource.type == "loki" { target["queryType"] = "range" }
            return target
        }
        var options: JSONValue
        switch panel.kind {
        case .logs:
            options = [
                "showTime": true, "wrapLogMessage": true, "sortOrder": "Descending",
                "enableLogDetails": true, "dedupStrategy": "none",
            ]
        case .stat, .gauge, .bargauge:
            options = [
                "reduceOptions": ["calcs": ["lastNotNull"], "fields": "", "values": false],
                "orientation": "auto",
            ]
        case .timeseries:
            options = [
                "legend": ["displayMode": "list", "placement": "bottom", "showLegend": true],
                "tooltip": ["mode": "multi", "sort": "desc"],
            ]
        }
        if panel.kind == .stat { options["colorMode"] = "value"; options["graphMode"] = "area" }
        return [
            "id": .int(id),
            "type": .string(panel.kind.rawValue),
            "title": .string(panel.title),
            "datasource": panel.datasource.json,
            "gridPos": ["h": .int(panel.height), "w": .int(panel.width), "x": .int(x), "y": .int(y)],
            "targets": .array(targets),
            "fieldConfig": ["defaults": ["unit": .string(panel.unit)], "overrides": []],
            "options": options,
        ]
    }
}
