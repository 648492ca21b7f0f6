import Foundation
import KubeCore
import Testing
@testable import KubeSandbox

@Suite("Sandbox update validation (immutable fields)")
struct SandboxValidationTests {
    let pvcs = "/api/v1/namespaces/default/persistentvolumeclaims"

    func pvc(_ size: String, storageClass: String = "standard") -> JSONValue {
        ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data"],
         "spec": ["accessModes": ["ReadWriteOnce"], "storageClassName": .string(storageClass), "resources": ["requests": ["storage": .string(size)]]]]
    }

    @Test func pvcSpecIsImmutableExceptGrowingRequests() throws {
        try withSandbox { _, c in
            c.post(pvcs, pvc("1Gi"))
            #expect(c.patch("\(pvcs)/data", ["spec": ["resources": ["requests": ["storage": "2Gi"]]]]).status == 200, "expansion is allowed")
            let shrink = c.patch("\(pvcs)/data", ["spec": ["resources": ["requests": ["storage": "500Mi"]]]])
            #expect(shrink.status == 422)
            #expect(shrink.json["details", "causes"]?.arrayValue?.first?["field"] == "spec.resources.requests.storage")
            let classChange = c.patch("\(pvcs)/data", ["spec": ["storageClassName": "fast"]])
            #expect(classChange.status == 422 && classChange.text.contains("spec is immutable after creation"))
            var replaced = pvc("2Gi")
            replaced["spec", "volumeMode"] = nil
            #expect(c.put("\(pvcs)/data", replaced).status == 200, "defaults are applied before the comparison")
        }
    }

    @Test func statefulSetSpecAndSelectorsAreImmutable() throws {
        try withSandbox { _, c in
            var sts = deployment("db")
            sts["kind"] = "StatefulSet"
            sts["spec", "serviceName"] = "db"
            c.post("/apis/apps/v1/namespaces/default/statefulsets", sts)
            #expect(c.patch("/apis/apps/v1/namespaces/default/statefulsets/db", ["spec": ["replicas": 3]]).status == 200)
            let forbidden = c.patch("/apis/apps/v1/namespaces/default/statefulsets/db", ["spec": ["serviceName": "other"]])
            #expect(forbidden.status == 422 && forbidden.text.contains("updates to statefulset spec"))
            c.post("/apis/apps/v1/namespaces/default/deployments", deployment("web"))
            let selector = c.patch("/apis/apps/v1/namespaces/default/deployments/web",
                                   ["spec": ["selector": ["matchLabels": ["app": "web", "x": "y"]], "template": ["metadata": ["labels": ["x": "y"]]]]])
            #expect(selector.status == 422 && selector.json["details", "causes"]?.arrayValue?.first?["field"] == "spec.selector")
        }
    }

    @Test func immutableConfigMapsAndServiceIPs() throws {
        try withSandbox { _, c in
            var cm = configMap("frozen", data: ["a": "1"])
            cm["immutable"] = true
            c.post("/api/v1/namespaces/default/configmaps", cm)
            #expect(c.patch("/api/v1/namespaces/default/configmaps/frozen", ["data": ["a": "2"]]).status == 422)
            #expect(c.patch("/api/v1/namespaces/default/configmaps/frozen", ["metadata": ["labels": ["ok": "yes"]]]).status == 200)
            let svc = c.post("/api/v1/namespaces/default/services", [
                "apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"], "spec": ["ports": [["port": 80]]],
            ]).json
            #expect(svc["spec", "clusterIP"]?.stringValue?.hasPrefix("10.96.") == true)
            #expect(c.patch("/api/v1/namespaces/default/services/web", ["spec": ["clusterIP": "10.0.0.1"]]).status == 422)
        }
    }
}
