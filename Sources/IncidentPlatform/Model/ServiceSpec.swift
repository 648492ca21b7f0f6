/// One application service (`spec.services.<name>`): its image, port, readiness path, size and autoscaling.
public struct ServiceSpec: Sendable, Equatable {
    /// The container image. The container gets no command or arguments: the image's entrypoint runs (for the
    /// default image, `incident-platform serve`, which picks the service from `SERVICE_NAME`).
    public var image: String
    /// The container port (named `http`).
    public var port: Int
    /// The path of the readiness probe (`/ready` by default; liveness and startup probe `/health`).
    public var readinessPath: String
    /// Replicas when autoscaling is disabled (ignored when it is enabled: the HPA owns the count).
    public var replicas: Int
    /// Requests and limits of the container.
    public var resources: ResourceRequirements
    /// Extra environment variables, after the ones the operator wires in.
    public var env: [EnvVar]
    /// The HorizontalPodAutoscaler settings.
    public var autoscaling: AutoscalingSpec

    /// Creates a service spec.
    public init(image: String, port: Int, readinessPath: String = PlatformDefaults.readinessPath,
                replicas: Int = PlatformDefaults.replicas, resources: ResourceRequirements,
                env: [EnvVar] = [], autoscaling: AutoscalingSpec = AutoscalingSpec()) {
        self.image = image
        self.port = port
        self.readinessPath = readinessPath
        self.replicas = replicas
        self.resources = resources
        self.env = env
        self.autoscaling = autoscaling
    }

    /// The defaults of a service.
    public static func defaults(for service: PlatformService) -> ServiceSpec {
        ServiceSpec(image: PlatformDefaults.image(for: service.component), port: PlatformDefaults.port(for: service),
                    resources: .defaults(for: service.component))
    }
}

/// An environment variable with a literal value.
public struct EnvVar: Sendable, Equatable {
    /// The variable name.
    public var name: String
    /// Its value.
    public var value: String

    /// Creates a variable.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// HorizontalPodAutoscaler settings of a service.
public struct AutoscalingSpec: Sendable, Equatable {
    /// Whether an HPA scales the service (then the Deployment does not set `replicas`).
    public var enabled: Bool
    /// The lowest replica count.
    public var minReplicas: Int
    /// The highest replica count.
    public var maxReplicas: Int
    /// Target average CPU utilization, percent of requests.
    public var targetCPUUtilizationPercentage: Int
    /// Target average memory utilization, percent of requests.
    public var targetMemoryUtilizationPercentage: Int

    /// Creates autoscaling settings; every argument defaults to ``PlatformDefaults``.
    public init(enabled: Bool = PlatformDefaults.autoscalingEnabled, minReplicas: Int = PlatformDefaults.minReplicas,
                maxReplicas: Int = PlatformDefaults.maxReplicas,
                targetCPUUtilizationPercentage: Int = PlatformDefaults.targetCPUUtilizationPercentage,
                targetMemoryUtilizationPercentage: Int = PlatformDefaults.targetMemoryUtilizationPercentage) {
        self.enabled = enabled
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.targetCPUUtilizationPercentage = targetCPUUtilizationPercentage
        self.targetMemoryUtilizationPercentage = targetMemoryUtilizationPercentage
    }
}
