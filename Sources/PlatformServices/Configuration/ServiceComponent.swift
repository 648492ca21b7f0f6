/// The four services one `incident-platform` binary can be.
public enum ServiceComponent: String, Sendable, CaseIterable {
    case alertIngestion = "alert-ingestion"
    case incidentManagement = "incident-management"
    case oncallService = "oncall-service"
    case webUI = "web-ui"

    /// The port it listens on when `PORT` is not set (the operator's defaults).
    public var defaultPort: Int { self == .webUI ? 8080 : 8000 }

    /// Whether it uses the database (the operator wires `DATABASE_*` into these only).
    public var usesDatabase: Bool { self != .webUI }
}
