import Testing
@testable import IncidentPlatform
import KubeCore

@Suite("Generators: PostgreSQL")
struct GeneratorDatabaseTests {
    @Test func volumeIsReadWriteOnceWithTheSpecSizeAndClass() throws {
        let r = RenderedPlatform()
        let pvc = try r.object("PersistentVolumeClaim", "demo-postgres")
        #expect(pvc["spec", "accessModes"] == ["ReadWriteOnce"])
        #expect(pvc["spec", "resources", "requests", "storage"] == "10Gi")
        #expect(pvc["spec", "storageClassName"] == nil, "no class: the cluster default")
        let sized = try Quantity(parsing: "50Gi")
        let custom = RenderedPlatform { $0.database.storage.size = sized; $0.database.storage.storageClassName = "fast-ssd" }
        let customPVC = try custom.object("PersistentVolumeClaim", "demo-postgres")
        #expect(customPVC["spec", "resources", "requests", "storage"] == "50Gi")
        #expect(customPVC["spec", "storageClassName"] == "fast-ssd")
    }

    @Test func deploymentIsOneReplicaWithRecreate() throws {
        let d = try RenderedPlatform().object("Deployment", "demo-postgres")
        #expect(d["spec", "replicas"] == 1)
        #expect(d["spec", "strategy"] == ["type": "Recreate"])
    }

    @Test func pgdataIsASubdirectoryOfTheMountedVolume() throws {
        let r = RenderedPlatform()
        let c = try r.container("Deployment", "demo-postgres")
        let pgdata = try #require(c["env"]?.arrayValue?.first { $0["name"] == "PGDATA" }?["value"]?.stringValue)
        let mount = try #require(c["volumeMounts"]?.arrayValue?.first { $0["name"] == "data" })
        #expect(mount["mountPath"] == "/var/lib/postgresql/data")
        #expect(pgdata.hasPrefix("/var/lib/postgresql/data/") && pgdata.count > "/var/lib/postgresql/data/".count)
        let volumes = try r.object("Deployment", "demo-postgres")["spec", "template", "spec", "volumes"]?.arrayValue ?? []
        #expect(volumes.contains { $0["name"] == "data" && $0["persistentVolumeClaim", "claimName"] == "demo-postgres" })
    }

    @Test func probesUsePgIsready() throws {
        let c = try RenderedPlatform().container("Deployment", "demo-postgres")
        for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
            let command = c[probe, "exec", "command"]?.arrayValue?.compactMap(\.stringValue).joined(separator: " ") ?? ""
            #expect(command.contains("pg_isready"), "\(probe)")
        }
    }

    @Test func serviceListensOn5432() throws {
        let svc = try RenderedPlatform().object("Service", "demo-postgres")
        #expect(svc["spec", "ports"] == [["name": "postgres", "port": 5432, "targetPort": "postgres", "protocol": "TCP"]])
        #expect(svc["spec", "selector"] == ["app.kubernetes.io/name": "postgres", "app.kubernetes.io/instance": "demo"])
    }

    // MARK: postgres_exporter sidecar

    private func sidecar(_ r: RenderedPlatform) throws -> JSONValue? {
        let d = try r.object("Deployment", "demo-postgres")
        return d["spec", "template", "spec", "containers"]?.arrayValue?.first { $0["name"] == "postgres-exporter" }
    }

    @Test func theExporterSidecarConnectsOverLoopbackWithTheCredentialsSecret() throws {
        let r = RenderedPlatform()
        let d = try r.object("Deployment", "demo-postgres")
        let containers = d["spec", "template", "spec", "containers"]?.arrayValue ?? []
        #expect(containers.first?["name"] == "postgres", "the server stays the first container")
        let c = try #require(try sidecar(r))
        #expect(c["image"] == .string(PlatformDefaults.postgresExporterImage))
        #expect(PlatformDefaults.postgresExporterImage == "quay.io/prometheuscommunity/postgres-exporter:v0.15.0")
        #expect(c["ports"] == [["name": "metrics", "containerPort": 9187, "protocol": "TCP"]])
        let env = c["env"]?.arrayValue ?? []
        #expect(env.compactMap { $0["name"]?.stringValue } == ["DATA_SOURCE_URI", "DATA_SOURCE_USER", "DATA_SOURCE_PASS"])
        let database = r.platform.spec.database.databaseName
        #expect(env.first?["value"] == .string("127.0.0.1:5432/\(database)?sslmode=disable"))
        #expect(env[1]["valueFrom", "secretKeyRef"] == ["name": "demo-postgres-credentials", "key": "username"])
        #expect(env[2]["valueFrom", "secretKeyRef"] == ["name": "demo-postgres-credentials", "key": "password"])
        #expect(c["securityContext"] == PodSecurity.restrictedContainer)
        #expect(c["resources", "limits", "memory"] == "64Mi" && c["resources", "requests", "cpu"] == "10m")
    }

    @Test func thePodIsScrapedOnTheExporterPortOnlyWithPrometheus() throws {
        let on = try RenderedPlatform().object("Deployment", "demo-postgres")
        #expect(on["spec", "template", "metadata", "annotations"] == [
            "prometheus.io/scrape": "true", "prometheus.io/port": "9187", "prometheus.io/path": "/metrics",
        ])
        let r = RenderedPlatform { $0.monitoring.prometheus.enabled = false; $0.monitoring.grafana.enabled = false }
        #expect(try sidecar(r) == nil)
        let off = try r.object("Deployment", "demo-postgres")
        #expect(off["spec", "template", "metadata", "annotations"] == nil)
        #expect(off["spec", "template", "spec", "containers"]?.arrayValue?.count == 1)
    }
}
