extension PlatformComponent {
    /// `app.kubernetes.io/component`: the role the component plays in the platform.
    var role: String {
        switch self {
        case .alertIngestion, .incidentManagement, .oncallService: "backend"
        case .webUI: "frontend"
        case .postgres: "database"
        case .prometheus, .nodeExporter: "metrics"
        case .grafana: "dashboards"
        case .loki, .promtail: "logs"
        case .alertmanager: "alerting"
        }
    }
}
