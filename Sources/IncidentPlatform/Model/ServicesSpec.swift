/// `spec.services`: the four application services.
public typealias ServicesSpec = PerService<ServiceSpec>

extension PerService where Value == ServiceSpec {
    /// Each service with ``ServiceSpec/defaults(for:)``.
    public init() { self.init(ServiceSpec.defaults(for:)) }
}
