import KubeCore

/// Grafana's provisioning documents: the Prometheus and Loki datasources (with stable uids that every dashboard
/// panel refers to) and the file provider that loads the dashboards from their ConfigMap.
enum GrafanaDatasources {
    /// The uid of the provisioned Prometheus datasource.
    static let prometheusUID = "prometheus"
    /// The uid of the provisioned Loki datasource.
    static let lokiUID = "loki"
    /// Where the dashboards ConfigMap is mounted in the Grafana container.
    static let dashboardsPath = "/etc/grafana/dashboards"

    /// `datasources.yaml`: one entry per enabled backend (`nil` URL = component disabled).
    static func datasources(prometheusURL: String?, lokiURL: String?, scrapeInterval: String) -> JSONValue {
        var list: [JSONValue] = []
        if let prometheusURL {
            list.append([
                "name": "Prometheus", "type": "prometheus", "uid": .string(prometheusUID), "access": "proxy",
                "url": .string(prometheusURL), "isDefault": true, "editable": false,
                "jsonData": ["timeInterval": .string(scrapeInterval), "httpMethod": "POST"],
            ])
        }
        if let lokiURL {
            list.append([
                "name": "Loki", "type": "loki", "uid": .string(lokiUID), "access": "proxy",
                "url": .string(lokiURL), "isDefault": .bool(prometheusURL == nil), "editable": false,
                "jsonData": ["maxLines": 1000],
            ])
        }
        return ["apiVersion": 1, "datasources": .array(list)]
    }

    /// `dashboards.yaml`: a read-only file provider for the dashboards folder.
    static func dashboardProvider() -> JSONValue {
        [
            "apiVersion": 1,
            "providers": [[
                "name": "incident-platform", "orgId": 1, "folder": "Incident Platform", "type": "file",
                "disableDeletion": true, "allowUiUpdates": false, "updateIntervalSeconds": 60,
                "options": ["path": .string(dashboardsPath), "foldersFromFilesStructure": false],
            ]],
        ]
    }
}
