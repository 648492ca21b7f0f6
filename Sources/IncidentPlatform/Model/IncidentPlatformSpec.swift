/// `spec` of an `IncidentPlatform`, with every default filled in.
public struct IncidentPlatformSpec: Sendable, Equatable {
    /// The four application services.
    public var services: ServicesSpec
    /// PostgreSQL.
    public var database: DatabaseSpec
    /// Prometheus, Grafana, Loki, promtail, node-exporter.
    public var monitoring: MonitoringSpec
    /// The PodDisruptionBudget of each service.
    public var disruptionBudget: DisruptionBudgetSpec
    /// Whether NetworkPolicies isolate the platform.
    public var networkPolicy: NetworkPolicySpec
    /// An existing Secret with the key `token` that the four services share as `PLATFORM_API_TOKEN`; `nil` means
    /// the operator generates `<platform>-api-token`.
    public var apiTokenSecretRef: SecretReference?
    /// The generated alerting rules.
    public var alerting: AlertingSpec
    /// The service level objectives.
    public var slo: SLOsSpec

    /// Creates a spec; every argument defaults to ``PlatformDefaults``.
    public init(services: ServicesSpec = ServicesSpec(), database: DatabaseSpec = DatabaseSpec(),
                monitoring: MonitoringSpec = MonitoringSpec(), disruptionBudget: DisruptionBudgetSpec = DisruptionBudgetSpec(),
                networkPolicy: NetworkPolicySpec = NetworkPolicySpec(), apiTokenSecretRef: SecretReference? = nil,
                alerting: AlertingSpec = AlertingSpec(), slo: SLOsSpec = SLOsSpec()) {
        self.services = services
        self.database = database
        self.monitoring = monitoring
        self.disruptionBudget = disruptionBudget
        self.networkPolicy = networkPolicy
        self.apiTokenSecretRef = apiTokenSecretRef
        self.alerting = alerting
        self.slo = slo
    }
}

/// `spec.disruptionBudget`: the PodDisruptionBudget generated for each service.
public struct DisruptionBudgetSpec: Sendable, Equatable {
    /// Pods that may be unavailable during voluntary disruptions: a count (`1`) or a percentage (`"25%"`).
    public var maxUnavailable: IntOrPercent

    /// Creates the budget; defaults to ``PlatformDefaults/maxUnavailable``.
    public init(maxUnavailable: IntOrPercent = PlatformDefaults.maxUnavailable) { self.maxUnavailable = maxUnavailable }
}

/// `spec.networkPolicy`.
public struct NetworkPolicySpec: Sendable, Equatable {
    /// Whether default-deny plus allow-list NetworkPolicies are generated.
    public var enabled: Bool

    /// Creates the setting; defaults to ``PlatformDefaults/networkPolicyEnabled``.
    public init(enabled: Bool = PlatformDefaults.networkPolicyEnabled) { self.enabled = enabled }
}
