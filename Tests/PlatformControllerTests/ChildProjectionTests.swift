import KubeCore
import PlatformController
import Testing

@Suite("Child projection and hashes")
struct ChildProjectionTests {
    @Test func projectionKeepsNoSecretDataButAHash() {
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "ops"],
                                 "data": ["password": "c2VjcmV0"]]
        let projected = ChildProjection.project(secret)
        #expect(projected["data"] == nil)
        #expect(!projected.jsonString().contains("c2VjcmV0"))
        #expect(projected[ChildProjection.liveHashKey]?.stringValue?.count == 16)
    }

    @Test func liveHashIgnoresStatusAndServerMetadata() {
        let a = Fixtures.deployment(name: "web")
        var b = a
        b["status"] = ["readyReplicas": 2]
        b["metadata", "resourceVersion"] = "42"
        b["metadata", "managedFields"] = [["manager": "x"]]
        b["metadata", "annotations", "deployment.kubernetes.io/revision"] = "3"
        #expect(ChildProjection.liveHash(of: a) == ChildProjection.liveHash(of: b))
    }

    @Test func liveHashSeesAHandEdit() {
        let a = Fixtures.deployment(name: "web")
        var b = a
        b["spec", "template", "spec", "containers"] = [["name": "app", "image": "app:2"]]
        #expect(ChildProjection.liveHash(of: a) != ChildProjection.liveHash(of: b))
    }

    @Test func liveHashIgnoresPVCBindingAndDeploymentReplicas() {
        let pvc: JSONValue = ["kind": "PersistentVolumeClaim", "metadata": ["name": "d"], "spec": ["resources": ["requests": ["storage": "1Gi"]]]]
        var bound = pvc
        bound["spec", "volumeName"] = "pv-1"
        bound["spec", "storageClassName"] = "standard"
        #expect(ChildProjection.liveHash(of: pvc) == ChildProjection.liveHash(of: bound))
        #expect(ChildProjection.liveHash(of: Fixtures.deployment(name: "w", replicas: 1))
                == ChildProjection.liveHash(of: Fixtures.deployment(name: "w", replicas: 4)))
    }

    @Test func specHashIgnoresItsOwnAnnotationAndKeyOrder() {
        let desired = Fixtures.deployment(name: "web")
        let annotated = ChildProjection.annotated(desired)
        #expect(ChildProjection.specHash(of: annotated) == ChildProjection.specHash(of: desired))
        #expect(annotated["metadata", "annotations", ChildProjection.specHashAnnotation]?.stringValue == ChildProjection.specHash(of: desired))
        var changed = desired
        changed["spec", "replicas"] = 3
        #expect(ChildProjection.specHash(of: changed) != ChildProjection.specHash(of: desired))
    }

    @Test func projectionKeepsReadinessFields() {
        let projected = ChildProjection.project(Fixtures.deployment(name: "web", replicas: 3, ready: 2))
        #expect(projected["spec", "replicas"] == 3)
        #expect(projected["status", "readyReplicas"] == 2)
        #expect(projected["spec", "template"] == nil)
        #expect(projected.labels["app.kubernetes.io/instance"] == "demo")
    }
}
