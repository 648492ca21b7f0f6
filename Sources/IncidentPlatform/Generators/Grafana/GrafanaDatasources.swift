import KubeCore

/// Grafana's provisioning documents: the Prometheus and Loki datasources (with stable uids that every dashboard
/// panel refers to) and the file provider that loads the dashboards from their ConfigMap.
enum GrafanaDatasources {
    /// The uid of the provisioned Prometheus datasource.
    static let prometheusUID = "prometheus"
    /// The uid of the provisioned Loki datasource.
    static let lokiUID = "loki"
    /// The uid of the provisioned Alertmanager datasource.
    static let alertmanagerUID = "alertmanager"
    /// Where the dashboards ConfigMap is mounted in the Grafana container.
    static let dashboardsPath = "/etc/grafana/dashboards"

    /// `datasources.yaml`: one entry per enabled backend (`nil` URL = component disabled).
    static func datasources(prometheusURL: String?, lokiURL: String?, scrapeInterval: String,
                            alertmanagerURL: String? = nil) -> JSONValue {
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
        if let alertmanagerURL {
            // Grafana shows the alerts, silences and contact points of the platform's (Prometheus) Alertmanager.
            list.append([
                "name": "Alertmanager", "type": "alertmanager", "uid": .string(alertmanagerUID), "access": "proxy",
                "url": .string(alertmanagerURL), "isDefault": false, "editable": false,
                "jsonData": ["implementation": "prometheus", "handleGrafanaManagedAlerts": false],
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
