/// The default value of every field of the spec. The CRD schema, the Swift defaults and the CR reference all
/// read these constants, so they cannot drift apart.
public enum PlatformDefaults {
    /// The project's version: `incident-operator version` prints it, and it is the tag of the default
    /// application image (``platformImageRepository``). One constant, so the operator and the image it deploys
    /// by default are released together.
    public static let applicationVersion = "0.1.0"
    /// The repository of the one image all four application services run (`incident-platform serve`, which picks
    /// the service from `SERVICE_NAME`).
    public static let platformImageRepository = "ghcr.io/incidentops/incident-platform"
    /// The readiness probe path of the application services (liveness and startup probe `/health`).
    public static let readinessPath = "/ready"
    /// The container port of the three backend services.
    public static let backendPort = 8000
    /// The container port of the web UI (an unprivileged port, so it can run as non-root).
    public static let webUIPort = 8080
    /// Replicas of a service when autoscaling is disabled.
    public static let replicas = 1
    /// Autoscaling is on by default.
    public static let autoscalingEnabled = true
    /// HPA `minReplicas`.
    public static let minReplicas = 1
    /// HPA `maxReplicas`.
    public static let maxReplicas = 5
    /// HPA CPU utilization target, in percent of requests.
    public static let targetCPUUtilizationPercentage = 50
    /// HPA memory utilization target, in percent of requests.
    public static let targetMemoryUtilizationPercentage = 70
    /// The PostgreSQL database name.
    public static let databaseName = "incidentops"
    /// The PostgreSQL volume size.
    public static let databaseStorageSize = "10Gi"
    /// What happens to the PostgreSQL volume when the platform is deleted.
    public static let databaseDeletionPolicy = DeletionPolicy.retain
    /// The Prometheus scrape interval.
    public static let scrapeInterval = "15s"
    /// How long Prometheus keeps samples.
    public static let retention = "15d"
    /// The Prometheus volume size.
    public static let prometheusStorageSize = "10Gi"
    /// The Grafana volume size.
    public static let grafanaStorageSize = "1Gi"
    /// The Loki volume size.
    public static let lokiStorageSize = "10Gi"
    /// Monitoring components are on by default.
    public static let monitoringEnabled = true
    /// The PodDisruptionBudget `maxUnavailable` of each service.
    public static let maxUnavailable = IntOrPercent.int(1)
    /// NetworkPolicies are on by default.
    public static let networkPolicyEnabled = true
    /// Alerting rules are on by default.
    public static let alertingEnabled = true
    /// Alertmanager pods (more than one form a gossip cluster).
    public static let alertmanagerReplicas = 1
    /// Where the runbooks are published: this repository's `docs/runbooks/`.
    public static let runbookBaseURL = "https://github.com/incidentops/incident-operator/blob/main/docs/runbooks/"
    /// The availability objective of each service, in percent of requests without a 5xx answer.
    public static let availabilityObjective = 99.9
    /// The latency objective of each service, in percent of requests under ``latencyThresholdSeconds``.
    public static let latencyObjective = 99.0
    /// The latency threshold of the latency objective.
    public static let latencyThresholdSeconds = 0.5
    /// The lowest objective accepted, in percent.
    public static let minimumObjective = 50.0
    /// The highest objective accepted, in percent (100 would leave no error budget: five nines is 26 s a month).
    public static let maximumObjective = 99.999
    /// The SLO window (fixed).
    public static let sloWindow = "30d"
    /// The bucket bounds of the services' `http_request_duration_seconds` histogram: a latency threshold must be one.
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The pinned image of the postgres_exporter sidecar in the PostgreSQL pod (runs when Prometheus does).
    public static let postgresExporterImage = "quay.io/prometheuscommunity/postgres-exporter:v0.15.0"

    /// The pinned default image of a component.
    public static func image(for component: PlatformComponent) -> String {
        switch component {
        case .alertIngestion, .incidentManagement, .oncallService, .webUI:
            "\(platformImageRepository):\(applicationVersion)"
        case .postgres: "postgres:16-alpine"
        case .prometheus: "prom/prometheus:v2.53.0"
        case .grafana: "grafana/grafana:11.1.0"
        case .loki: "grafana/loki:3.1.0"
        case .promtail: "grafana/promtail:3.1.0"
        case .nodeExporter: "prom/node-exporter:v1.8.1"
        case .alertmanager: "prom/alertmanager:v0.27.0"
        }
    }

    /// The default requests and limits of a component, as quantity strings.
    public static func resources(for component: PlatformComponent) -> (requests: (cpu: String, memory: String), limits: (cpu: String, memory: String)) {
        switch component {
        case .alertIngestion, .incidentManagement, .oncallService:
            (("100m", "128Mi"), ("500m", "512Mi"))
        case .webUI: (("50m", "64Mi"), ("200m", "256Mi"))
        case .postgres: (("250m", "256Mi"), ("1", "1Gi"))
        case .prometheus: (("200m", "512Mi"), ("1", "2Gi"))
        case .grafana: (("100m", "128Mi"), ("500m", "512Mi"))
        case .loki: (("100m", "256Mi"), ("500m", "1Gi"))
        case .promtail: (("50m", "64Mi"), ("200m", "256Mi"))
        case .nodeExporter: (("50m", "32Mi"), ("200m", "128Mi"))
        case .alertmanager: (("50m", "64Mi"), ("200m", "256Mi"))
        }
    }

    /// The container port of a service.
    public static func port(for service: PlatformService) -> Int {
        service == .webUI ? webUIPort : backendPort
    }
}
