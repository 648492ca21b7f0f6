/// Every component the platform runs. The raw value is the component name used in child object names
/// (`<platform>-<component>`), in the `app.kubernetes.io/component` label and as the key of `status.components`.
public enum PlatformComponent: String, Sendable, CaseIterable, Hashable {
    /// The alert ingestion service.
    case alertIngestion = "alert-ingestion"
    /// The incident management service.
    case incidentManagement = "incident-management"
    /// The on-call scheduling service.
    case oncallService = "oncall-service"
    /// The web front end.
    case webUI = "web-ui"
    /// The PostgreSQL database.
    case postgres
    /// Prometheus.
    case prometheus
    /// Grafana.
    case grafana
    /// Loki (single binary).
    case loki
    /// The promtail DaemonSet.
    case promtail
    /// The node-exporter DaemonSet.
    case nodeExporter = "node-exporter"
    /// Alertmanager.
    case alertmanager

    /// The component name, e.g. `incident-management`.
    public var componentName: String { rawValue }

    /// The application service this component is, if it is one of the four.
    public var service: PlatformService? { PlatformService.allCases.first { $0.component == self } }
}
