import KubeCore

/// `spec.monitoring`: the observability stack.
public struct MonitoringSpec: Sendable, Equatable {
    /// Prometheus.
    public var prometheus: PrometheusSpec
    /// Grafana.
    public var grafana: GrafanaSpec
    /// Loki.
    public var loki: LokiSpec
    /// The promtail DaemonSet.
    public var promtail: NodeAgentSpec
    /// The node-exporter DaemonSet.
    public var nodeExporter: NodeAgentSpec

    /// Creates the monitoring block; every component defaults to enabled with ``PlatformDefaults``.
    public init(prometheus: PrometheusSpec = PrometheusSpec(), grafana: GrafanaSpec = GrafanaSpec(), loki: LokiSpec = LokiSpec(),
                promtail: NodeAgentSpec = .defaults(for: .promtail), nodeExporter: NodeAgentSpec = .defaults(for: .nodeExporter)) {
        self.prometheus = prometheus
        self.grafana = grafana
        self.loki = loki
        self.promtail = promtail
        self.nodeExporter = nodeExporter
    }
}

/// A persistent volume of a monitoring component.
public struct StorageSpec: Sendable, Equatable {
    /// The PVC size request.
    public var size: Quantity
    /// The StorageClass; `nil` uses the cluster default.
    public var storageClassName: String?

    /// Creates a storage spec.
    public init(size: Quantity, storageClassName: String? = nil) {
        self.size = size
        self.storageClassName = storageClassName
    }
}

/// `spec.monitoring.prometheus`.
public struct PrometheusSpec: Sendable, Equatable {
    /// Whether Prometheus runs.
    public var enabled: Bool
    /// The image.
    public var image: String
    /// How often targets are scraped.
    public var scrapeInterval: PromDuration
    /// How long samples are kept (`--storage.tsdb.retention.time`).
    public var retention: PromDuration
    /// The data volume.
    public var storage: StorageSpec
    /// Requests and limits.
    public var resources: ResourceRequirements

    /// Creates a Prometheus spec; every argument defaults to ``PlatformDefaults``.
    public init(enabled: Bool = PlatformDefaults.monitoringEnabled, image: String = PlatformDefaults.image(for: .prometheus),
                scrapeInterval: PromDuration = .constant(PlatformDefaults.scrapeInterval),
                retention: PromDuration = .constant(PlatformDefaults.retention),
                storage: StorageSpec = StorageSpec(size: .constant(PlatformDefaults.prometheusStorageSize)),
                resources: ResourceRequirements = .defaults(for: .prometheus)) {
        self.enabled = enabled
        self.image = image
        self.scrapeInterval = scrapeInterval
        self.retention = retention
        self.storage = storage
        self.resources = resources
    }
}

/// `spec.monitoring.grafana`.
public struct GrafanaSpec: Sendable, Equatable {
    /// Whether Grafana runs.
    public var enabled: Bool
    /// The image.
    public var image: String
    /// The data volume.
    public var storage: StorageSpec
    /// An existing Secret with `admin-user` and `admin-password`; `nil` means the operator generates one.
    public var adminSecretRef: SecretReference?
    /// Requests and limits.
    public var resources: ResourceRequirements

    /// Creates a Grafana spec; every argument defaults to ``PlatformDefaults``.
    public init(enabled: Bool = PlatformDefaults.monitoringEnabled, image: String = PlatformDefaults.image(for: .grafana),
                storage: StorageSpec = StorageSpec(size: .constant(PlatformDefaults.grafanaStorageSize)),
                adminSecretRef: SecretReference? = nil, resources: ResourceRequirements = .defaults(for: .grafana)) {
        self.enabled = enabled
        self.image = image
        self.storage = storage
        self.adminSecretRef = adminSecretRef
        self.resources = resources
    }
}

/// `spec.monitoring.loki`.
public struct LokiSpec: Sendable, Equatable {
    /// Whether Loki runs.
    public var enabled: Bool
    /// The image.
    public var image: String
    /// The data volume.
    public var storage: StorageSpec
    /// Requests and limits.
    public var resources: ResourceRequirements

    /// Creates a Loki spec; every argument defaults to ``PlatformDefaults``.
    public init(enabled: Bool = PlatformDefaults.monitoringEnabled, image: String = PlatformDefaults.image(for: .loki),
                storage: StorageSpec = StorageSpec(size: .constant(PlatformDefaults.lokiStorageSize)),
                resources: ResourceRequirements = .defaults(for: .loki)) {
        self.enabled = enabled
        self.image = image
        self.storage = storage
        self.resources = resources
    }
}

/// `spec.monitoring.promtail` and `spec.monitoring.nodeExporter`: a DaemonSet on every node.
public struct NodeAgentSpec: Sendable, Equatable {
    /// Whether the DaemonSet runs.
    public var enabled: Bool
    /// The image.
    public var image: String
    /// Requests and limits.
    public var resources: ResourceRequirements

    /// Creates an agent spec.
    public init(enabled: Bool = PlatformDefaults.monitoringEnabled, image: String, resources: ResourceRequirements) {
        self.enabled = enabled
        self.image = image
        self.resources = resources
    }

    /// The defaults of ``PlatformComponent/promtail`` or ``PlatformComponent/nodeExporter``.
    public static func defaults(for component: PlatformComponent) -> NodeAgentSpec {
        NodeAgentSpec(image: PlatformDefaults.image(for: component), resources: .defaults(for: component))
    }
}
