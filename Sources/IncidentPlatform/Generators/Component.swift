/// Every component of a platform: the `app.kubernetes.io/name` of its objects and the `<component>` of their names.
enum Component: String, Sendable, CaseIterable {
    case alertIngestion = "alert-ingestion"
    case incidentManagement = "incident-management"
    case oncallService = "oncall-service"
    case webUI = "web-ui"
    case postgres
    case prometheus
    case grafana
    case loki
    case promtail
    case nodeExporter = "node-exporter"
    /// NetworkPolicies that concern the platform as a whole.
    case platform

    /// The three backends: they talk to the database and to each other.
    static let backends: [Component] = [.alertIngestion, .incidentManagement, .oncallService]
    /// The four application services.
    static let services: [Component] = backends + [.webUI]

    /// `app.kubernetes.io/component`: the role the component plays.
    var role: String {
        switch self {
        case .alertIngestion, .incidentManagement, .oncallService: return "backend"
        case .webUI: return "frontend"
        case .postgres: return "database"
        case .prometheus, .nodeExporter: return "metrics"
        case .grafana: return "dashboards"
        case .loki, .promtail: return "logs"
        case .platform: return "network-policy"
        }
    }
}
