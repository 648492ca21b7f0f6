/// `spec.services`: the four application services.
public struct ServicesSpec: Sendable, Equatable {
    /// `alertIngestion`.
    public var alertIngestion: ServiceSpec
    /// `incidentManagement`.
    public var incidentManagement: ServiceSpec
    /// `oncallService`.
    public var oncallService: ServiceSpec
    /// `webUI`.
    public var webUI: ServiceSpec

    /// Creates the services block; each service defaults to ``ServiceSpec/defaults(for:)``.
    public init(alertIngestion: ServiceSpec = .defaults(for: .alertIngestion),
                incidentManagement: ServiceSpec = .defaults(for: .incidentManagement),
                oncallService: ServiceSpec = .defaults(for: .oncallService),
                webUI: ServiceSpec = .defaults(for: .webUI)) {
        self.alertIngestion = alertIngestion
        self.incidentManagement = incidentManagement
        self.oncallService = oncallService
        self.webUI = webUI
    }

    /// The spec of one service.
    public subscript(service: PlatformService) -> ServiceSpec {
        get {
            switch service {
            case .alertIngestion: alertIngestion
            case .incidentManagement: incidentManagement
            case .oncallService: oncallService
            case .webUI: webUI
            }
        }
        set {
            switch service {
            case .alertIngestion: alertIngestion = newValue
            case .incidentManagement: incidentManagement = newValue
            case .oncallService: oncallService = newValue
            case .webUI: webUI = newValue
            }
        }
    }
}
