import KubeRuntime
import Logging

/// How `incident-operator run` runs: scope, concurrency, leader election, endpoints, logging.
public struct OperatorConfiguration: Sendable {
    /// Watch only this namespace; nil watches all namespaces.
    public var namespace: String?
    /// Concurrent reconciles (default 4).
    public var workers = 4
    /// Whether to take part in leader election (only the leader reconciles).
    public var leaderElection = false
    /// The Lease's namespace.
    public var leaderElectionNamespace = "default"
    /// The Lease's name.
    public var leaderElectionID = "incident-operator-leader"
    /// This replica's identity in the Lease (hostname + random suffix by default).
    public var identity: String
    /// Lease timings (controller-runtime's defaults: 15 s / 10 s / 2 s).
    public var leaseDuration: Duration = .seconds(15)
    /// See ``leaseDuration``.
    public var renewDeadline: Duration = .seconds(10)
    /// See ``leaseDuration``.
    public var retryPeriod: Duration = .seconds(2)
    /// `HOST:PORT` of `/metrics` (`:8080`; `0` turns it off).
    public var metricsBindAddress = ":8080"
    /// `HOST:PORT` of `/healthz` and `/readyz` (`:8081`; `0` turns it off).
    public var healthProbeBindAddress = ":8081"
    /// The informers' settings (resync period etc.).
    public var informerOptions = InformerOptions()
    /// How long shutdown waits for in-flight reconciles.
    public var shutdownTimeout: Duration = .seconds(10)
    /// The logger.
    public var logger: Logger

    /// A configuration with the defaults.
    public init(identity: String, logger: Logger) {
        self.identity = identity
        self.logger = logger
    }
}
