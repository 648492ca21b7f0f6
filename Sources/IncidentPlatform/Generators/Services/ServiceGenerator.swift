import KubeCore

/// The four application services: Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget each.
enum ServiceGenerator {
    /// The uid and gid the application containers run as (non-root, restricted profile).
    static let runAsUser = 10001
    /// The health endpoint every service serves on its `http` port: liveness and startup probes. Readiness probes
    /// the service's `readinessPath` (`/ready` by default).
    static let healthPath = "/health"
    /// The metrics endpoint every service serves on its `http` port.
    static let metricsPath = "/metrics"
    /// The PostgreSQL port.
    static let databasePort = 5432

    /// Every object of the four services.
    static func objects(_ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        PlatformService.allCases.flatMap { service -> [JSONValue] in
            let spec = platform.spec.services[service]
            var objects = [
                deployment(service, platform, meta),
                Workload.service(service.component, meta, portName: "http", port: spec.port),
                podDisruptionBudget(service, platform, meta),
            ]
            if spec.autoscaling.enabled { objects.append(horizontalPodAutoscaler(service, spec.autoscaling, meta)) }
            return objects
        }
    }

    /// The in-cluster URL of a service: `http://<platform>-<component>.<namespace>.svc:<port>`.
    static func url(_ service: PlatformService, _ platform: IncidentPlatform, _ meta: ChildMetadata) -> String {
        "http://\(meta.name(service.componentName)).\(meta.namespace).svc:\(platform.spec.services[service].port)"
    }

    /// The environment the operator wires in: the API token for all, database access for backends, peer URLs, then
    /// the user's `env`.
    static func environment(_ service: PlatformService, _ platform: IncidentPlatform, _ meta: ChildMetadata) -> [JSONValue] {
        let spec = platform.spec.services[service]
        var env = [
            Workload.env("SERVICE_NAME", service.componentName),
            Workload.env("PORT", String(spec.port)),
            Workload.env("PLATFORM_API_TOKEN", secret: SecretGenerator.apiTokenSecretName(platform, meta), key: SecretGenerator.apiTokenKey),
        ]
        if service.isBackend {
            let secret = SecretGenerator.databaseSecretName(platform, meta)
            env += [
                Workload.env("DATABASE_HOST", "\(meta.name(PlatformComponent.postgres.componentName)).\(meta.namespace).svc"),
                Workload.env("DATABASE_PORT", String(databasePort)),
                Workload.env("DATABASE_NAME", platform.spec.database.databaseName),
                Workload.env("DATABASE_USER", secret: secret, key: SecretGenerator.usernameKey),
                Workload.env("DATABASE_PASSWORD", secret: secret, key: SecretGenerator.passwordKey),
            ]
        }
        switch service {
        case .alertIngestion:
            env.append(Workload.env("INCIDENT_MANAGEMENT_URL", url(.incidentManagement, platform, meta)))
        case .webUI:
            env += [
                Workload.env("ALERT_INGESTION_URL", url(.alertIngestion, platform, meta)),
                Workload.env("INCIDENT_MANAGEMENT_URL", url(.incidentManagement, platform, meta)),
                Workload.env("ONCALL_SERVICE_URL", url(.oncallService, platform, meta)),
            ]
        case .incidentManagement, .oncallService:
            break
        }
        env += spec.env.map { Workload.env($0.name, $0.value) }
        return env
    }

    /// The Deployment. With autoscaling enabled it has no `replicas`: the HPA owns the count. The container has no
    /// `command` or `args`: the image's entrypoint runs (the default image's is `incident-platform serve`).
    static func deployment(_ service: PlatformService, _ platform: IncidentPlatform, _ meta: ChildMetadata) -> JSONValue {
        let spec = platform.spec.services[service]
        var container: [String: JSONValue] = [
            "name": .string(service.componentName),
            "image": .string(spec.image),
            "imagePullPolicy": "IfNotPresent",
            "ports": [Workload.port("http", spec.port)],
            "env": .array(environment(service, platform, meta)),
            "resources": spec.resources.json,
            "securityContext": PodSecurity.restrictedContainer,
            "volumeMounts": [PodSecurity.tmpMount],
        ]
        container.merge(Workload.httpProbes(path: healthPath, port: "http", readinessPath: spec.readinessPath)) { $1 }
        var deploymentSpec: JSONValue = [
            "revisionHistoryLimit": 5,
            "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": 0]],
            "selector": ["matchLabels": meta.selectorLabels(service.component)],
            "template": [
                "metadata": [
                    "labels": meta.labels(service.component),
                    "annotations": [
                        "prometheus.io/scrape": "true",
                        "prometheus.io/port": .string(String(spec.port)),
                        "prometheus.io/path": .string(metricsPath),
                    ],
                ],
                "spec": [
                    "automountServiceAccountToken": false,
                    "enableServiceLinks": false,
                    "securityContext": PodSecurity.restrictedPod(user: runAsUser),
                    "terminationGracePeriodSeconds": 30,
                    "containers": [.object(container)],
                    "volumes": [PodSecurity.tmpVolume],
                ],
            ],
        ]
        if !spec.autoscaling.enabled { deploymentSpec["replicas"] = .int(spec.replicas) }
        return ChildMetadata.object(.deployments, meta.metadata(service.component), ["spec": deploymentSpec])
    }

    /// The `autoscaling/v2` HorizontalPodAutoscaler: CPU and memory utilization targets, fast scale-up
    /// (double or +2 pods every 15 s, whichever is more), careful scale-down (at most half every 60 s after a
    /// 60 s window).
    static func horizontalPodAutoscaler(_ service: PlatformService, _ autoscaling: AutoscalingSpec,
                                        _ meta: ChildMetadata) -> JSONValue {
        func utilization(_ resource: String, _ percent: Int) -> JSONValue {
            [
                "type": "Resource",
                "resource": ["name": .string(resource), "target": ["type": "Utilization", "averageUtilization": .int(percent)]],
            ]
        }
        return ChildMetadata.object(.horizontalPodAutoscalers, meta.metadata(service.component), [
            "spec": [
                "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(meta.name(service.componentName))],
                "minReplicas": .int(autoscaling.minReplicas),
                "maxReplicas": .int(autoscaling.maxReplicas),
                "metrics": [
                    utilization("cpu", autoscaling.targetCPUUtilizationPercentage),
                    utilization("memory", autoscaling.targetMemoryUtilizationPercentage),
                ],
                "behavior": [
                    "scaleUp": [
                        "stabilizationWindowSeconds": 0,
                        "policies": [
                            ["type": "Percent", "value": 100, "periodSeconds": 15],
                            ["type": "Pods", "value": 2, "periodSeconds": 15],
                        ],
                        "selectPolicy": "Max",
                    ],
                    "scaleDown": [
                        "stabilizationWindowSeconds": 60,
                        "policies": [["type": "Percent", "value": 50, "periodSeconds": 60]],
                    ],
                ],
            ]
        ])
    }

    /// The `policy/v1` PodDisruptionBudget with `maxUnavailable` (never `minAvailable`, which on a one-replica
    /// workload would block node drains forever).
    static func podDisruptionBudget(_ service: PlatformService, _ platform: IncidentPlatform, _ meta: ChildMetadata) -> JSONValue {
        ChildMetadata.object(.podDisruptionBudgets, meta.metadata(service.component), [
            "spec": [
                "maxUnavailable": platform.spec.disruptionBudget.maxUnavailable.json,
                "selector": ["matchLabels": meta.selectorLabels(service.component)],
                "unhealthyPodEvictionPolicy": "AlwaysAllow",
            ]
        ])
    }
}
