/// One value per application service, addressable by ``PlatformService``: the shape of `spec.services` and
/// `spec.slo`.
public struct PerService<Value: Sendable & Equatable>: Sendable, Equatable {
    /// `alertIngestion`.
    public var alertIngestion: Value
    /// `incidentManagement`.
    public var incidentManagement: Value
    /// `oncallService`.
    public var oncallService: Value
    /// `webUI`.
    public var webUI: Value

    /// Each service's value from `make`.
    public init(_ make: (PlatformService) -> Value) {
        alertIngestion = make(.alertIngestion)
        incidentManagement = make(.incidentManagement)
        oncallService = make(.oncallService)
        webUI = make(.webUI)
    }

    /// The value of one service.
    public subscript(service: PlatformService) -> Value {
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
