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
}
