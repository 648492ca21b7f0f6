import Testing
@testable import IncidentPlatform
import KubeCore

@Suite("Generators: application services")
struct GeneratorServiceTests {
    let services = ["alert-ingestion", "incident-management", "oncall-service", "web-ui"]

    @Test func everyServiceHasDeploymentServiceHPAAndPDB() throws {
        let r = RenderedPlatform()
        for s in services {
            for kind in ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"] {
                #expect(r.has(kind, "demo-\(s)"), "\(kind) demo-\(s)")
            }
        }
    }

    @Test func hpaHasExactlyTheSpecifiedNumbersAndBehaviour() throws {
        let r = RenderedPlatform()
        let expected: JSONValue = [
            "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "demo-incident-management"],
            "minReplicas": 1,
            "maxReplicas": 5,
            "metrics": [
                ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 50]]],
                ["type": "Resource", "resource": ["name": "memory", "target": ["type": "Utilization", "averageUtilization": 70]]],
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
        let hpa = try r.object("HorizontalPodAutoscaler", "demo-incident-management")
        #expect(hpa.apiVersion == "autoscaling/v2")
        #expect(hpa["spec"] == expected)
    }

    @Test func hpaFollowsTheSpecBounds() throws {
        let r = RenderedPlatform {
            $0.services.webUI.autoscaling = AutoscalingSpec(enabled: true, minReplicas: 2, maxReplicas: 9,
                                                            targetCPUUtilizationPercentage: 60, targetMemoryUtilizationPercentage: 80)
        }
        let spec = try #require(try r.object("HorizontalPodAutoscaler", "demo-web-ui")["spec"])
        #expect(spec["minReplicas"] == 2)
        #expect(spec["maxReplicas"] == 9)
        #expect(spec["metrics"]?.arrayValue?.map { $0["resource", "target", "averageUtilization"] } == [60, 80])
    }

    @Test func deploymentUnderHPAHasNoReplicas() throws {
        let r = RenderedPlatform { $0.services.oncallService.autoscaling.enabled = false; $0.services.oncallService.replicas = 3 }
        for s in ["alert-ingestion", "incident-management", "web-ui"] {
            let d = try r.object("Deployment", "demo-\(s)")
            #expect(d["spec", "replicas"] == nil, "\(s) is scaled by its HPA and must not set replicas")
        }
        #expect(try r.object("Deployment", "demo-oncall-service")["spec", "replicas"] == 3)
        #expect(!r.has("HorizontalPodAutoscaler", "demo-oncall-service"))
    }

    @Test func probesAreOnTheHTTPPortReadinessOnReadyTheOthersOnHealth() throws {
        let r = RenderedPlatform()
        for s in services {
            let c = try r.container("Deployment", "demo-\(s)")
            let port = s == "web-ui" ? PlatformDefaults.webUIPort : PlatformDefaults.backendPort
            #expect(c["ports"] == [["name": "http", "containerPort": .int(port), "protocol": "TCP"]])
            for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
                #expect(c[probe, "httpGet", "path"] == (probe == "readinessProbe" ? "/ready" : "/health"), "\(s) \(probe)")
                #expect(c[probe, "httpGet", "port"] == "http", "\(s) \(probe)")
            }
            let svc = try r.object("Service", "demo-\(s)")
            #expect(svc["spec", "ports"] == [["name": "http", "port": .int(port), "targetPort": "http", "protocol": "TCP"]])
        }
    }

    @Test func readinessPathIsPerService() throws {
        let r = RenderedPlatform { $0.services.webUI.readinessPath = "/health" }
        #expect(try r.container("Deployment", "demo-web-ui")["readinessProbe", "httpGet", "path"] == "/health")
        #expect(try r.container("Deployment", "demo-web-ui")["livenessProbe", "httpGet", "path"] == "/health")
        #expect(try r.container("Deployment", "demo-oncall-service")["readinessProbe", "httpGet", "path"] == "/ready")
    }

    @Test func everyServiceRunsTheOneDefaultImageWithoutCommandOrArgs() throws {
        let r = RenderedPlatform()
        for s in services {
            let c = try r.container("Deployment", "demo-\(s)")
            #expect(c["image"] == .string("ghcr.io/incidentops/incident-platform:\(PlatformDefaults.applicationVersion)"), "\(s)")
            #expect(c["command"] == nil && c["args"] == nil, "\(s): the image's entrypoint runs `serve`")
            #expect(try r.env("demo-\(s)")["SERVICE_NAME"] == .string(s), "\(s): serve picks the service from SERVICE_NAME")
        }
    }

    @Test func everyServiceGetsTheAPITokenFromTheGeneratedSecret() throws {
        let r = RenderedPlatform()
        for s in services {
            #expect(try r.env("demo-\(s)")["PLATFORM_API_TOKEN"] == secretRef("demo-api-token", "token"), "\(s)")
        }
        let own = RenderedPlatform { $0.apiTokenSecretRef = SecretReference(name: "team-token") }
        for s in services {
            #expect(try own.env("demo-\(s)")["PLATFORM_API_TOKEN"] == secretRef("team-token", "token"), "\(s)")
        }
    }

    @Test func podTemplatesCarryPrometheusAnnotations() throws {
        let r = RenderedPlatform { $0.services.alertIngestion.port = 9000 }
        let d = try r.object("Deployment", "demo-alert-ingestion")
        #expect(d["spec", "template", "metadata", "annotations"] == [
            "prometheus.io/scrape": "true", "prometheus.io/port": "9000", "prometheus.io/path": "/metrics",
        ])
    }

    @Test func containersMeetTheRestrictedProfile() throws {
        let r = RenderedPlatform()
        let deployments = r.all("Deployment")
        #expect(deployments.count == 9)
        for d in deployments {
            let pod = try #require(d["spec", "template", "spec"])
            let name = d.name ?? ""
            #expect(pod["securityContext", "runAsNonRoot"] == true, "\(name)")
            #expect((pod["securityContext", "runAsUser"]?.intValue ?? 0) > 0, "\(name)")
            #expect(pod["securityContext", "seccompProfile", "type"] == "RuntimeDefault", "\(name)")
            #expect(pod["automountServiceAccountToken"] == .bool(name == "demo-prometheus"), "\(name): only Prometheus needs the API token")
            let volumes = pod["volumes"]?.arrayValue ?? []
            #expect(volumes.contains { $0["name"] == "tmp" && $0["emptyDir"] != nil }, "\(name)")
            for c in pod["containers"]?.arrayValue ?? [] {
                let sc = try #require(c["securityContext"])
                #expect(sc["allowPrivilegeEscalation"] == false, "\(name)")
                #expect(sc["readOnlyRootFilesystem"] == true, "\(name)")
                #expect(sc["capabilities", "drop"] == ["ALL"], "\(name)")
                #expect(sc["capabilities", "add"] == nil, "\(name)")
                #expect(sc["seccompProfile", "type"] == "RuntimeDefault", "\(name)")
                #expect((c["volumeMounts"]?.arrayValue ?? []).contains { $0["mountPath"] == "/tmp" }, "\(name)")
                #expect(c["resources", "requests", "cpu"] != nil && c["resources", "limits", "memory"] != nil, "\(name)")
            }
        }
    }

    @Test func backendsGetDatabaseSettingsFromTheGeneratedSecret() throws {
        let r = RenderedPlatform()
        for s in ["alert-ingestion", "incident-management", "oncall-service"] {
            let env = try r.env("demo-\(s)")
            #expect(env["DATABASE_HOST"] == "demo-postgres.ops.svc")
            #expect(env["DATABASE_PORT"] == "5432")
            #expect(env["DATABASE_NAME"] == .string(PlatformDefaults.databaseName))
            #expect(env["DATABASE_USER"] == secretRef("demo-postgres-credentials", "username"))
            #expect(env["DATABASE_PASSWORD"] == secretRef("demo-postgres-credentials", "password"))
        }
        let web = try r.env("demo-web-ui")
        #expect(web["DATABASE_PASSWORD"] == nil && web["DATABASE_HOST"] == nil, "the web UI does not talk to the database")
    }

    @Test func backendsUseTheUsersCredentialsSecretWhenGiven() throws {
        let r = RenderedPlatform { $0.database.credentialsSecretRef = SecretReference(name: "team-db") }
        let env = try r.env("demo-oncall-service")
        #expect(env["DATABASE_USER"] == secretRef("team-db", "username"))
        #expect(env["DATABASE_PASSWORD"] == secretRef("team-db", "password"))
        let pg = try r.container("Deployment", "demo-postgres")
        #expect(pg["env"]?.arrayValue?.first { $0["name"] == "POSTGRES_PASSWORD" }?["valueFrom"] == secretRef("team-db", "password"))
    }

    @Test func serviceURLsAreWiredIn() throws {
        let r = RenderedPlatform()
        let alert = try r.env("demo-alert-ingestion")
        #expect(alert["INCIDENT_MANAGEMENT_URL"] == "http://demo-incident-management.ops.svc:8000")
        let web = try r.env("demo-web-ui")
        #expect(web["ALERT_INGESTION_URL"] == "http://demo-alert-ingestion.ops.svc:8000")
        #expect(web["INCIDENT_MANAGEMENT_URL"] == "http://demo-incident-management.ops.svc:8000")
        #expect(web["ONCALL_SERVICE_URL"] == "http://demo-oncall-service.ops.svc:8000")
        #expect(try r.env("demo-oncall-service")["INCIDENT_MANAGEMENT_URL"] == nil)
    }

    @Test func userEnvComesAfterTheWiredEnv() throws {
        let r = RenderedPlatform { $0.services.incidentManagement.env = [EnvVar(name: "LOG_LEVEL", value: "debug")] }
        let env = try r.container("Deployment", "demo-incident-management")["env"]?.arrayValue ?? []
        #expect(env.last == ["name": "LOG_LEVEL", "value": "debug"])
    }

    @Test func pdbUsesMaxUnavailableNeverMinAvailable() throws {
        let r = RenderedPlatform()
        for s in services {
            let pdb = try r.object("PodDisruptionBudget", "demo-\(s)")
            #expect(pdb.apiVersion == "policy/v1")
            #expect(pdb["spec", "maxUnavailable"] == 1)
            #expect(pdb["spec", "minAvailable"] == nil)
            #expect(pdb["spec", "selector", "matchLabels"] == ["app.kubernetes.io/name": .string(s), "app.kubernetes.io/instance": "demo"])
        }
        let percent = RenderedPlatform { $0.disruptionBudget.maxUnavailable = .percent(25) }
        #expect(try percent.object("PodDisruptionBudget", "demo-web-ui")["spec", "maxUnavailable"] == "25%")
    }

    @Test func imagesAndResourcesComeFromTheSpec() throws {
        let gibibyte = try Quantity(parsing: "1Gi")
        let r = RenderedPlatform {
            $0.services.webUI.image = "registry.example/web:2"
            $0.services.webUI.resources.limits.memory = gibibyte
        }
        let c = try r.container("Deployment", "demo-web-ui")
        #expect(c["image"] == "registry.example/web:2")
        #expect(c["resources", "limits", "memory"] == "1Gi")
    }
}
