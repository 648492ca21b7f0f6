import Foundation
import KubeCore
import Testing
@testable import KubeSandbox

@Suite("Sandbox deletion: finalizers, garbage collection, namespaces")
struct SandboxLifecycleTests {
    let cms = "/api/v1/namespaces/default/configmaps"

    func owned(_ name: String, by owner: JSONValue) -> JSONValue {
        var cm = configMap(name)
        cm["metadata", "ownerReferences"] = [[
            "apiVersion": "v1", "kind": "ConfigMap", "name": owner["metadata", "name"] ?? "", "uid": owner["metadata", "uid"] ?? "",
        ]]
        return cm
    }

    @Test func finalizersHoldTheObjectUntilRemoved() throws {
        try withSandbox { _, c in
            var cm = configMap("held")
            cm["metadata", "finalizers"] = ["example.io/cleanup"]
            c.post(cms, cm)
            let deleting = c.delete("\(cms)/held")
            #expect(deleting.status == 200)
            #expect(deleting.json.deletionTimestamp != nil, "a deletion that waits answers with the object")
            let still = c.get("\(cms)/held")
            #expect(still.status == 200)
            #expect(still.json.deletionTimestamp != nil)
            let released = c.patch("\(cms)/held", [["op": "remove", "path": "/metadata/finalizers"]], "application/json-patch+json")
            #expect(released.status == 200)
            #expect(c.get("\(cms)/held").status == 404)
        }
    }

    @Test func backgroundDeletionRemovesDependents() throws {
        try withSandbox { _, c in
            let owner = c.post(cms, configMap("owner")).json
            c.post(cms, owned("child", by: owner))
            let answer = c.delete("\(cms)/owner").json
            #expect(answer["kind"] == "Status" && answer["status"] == "Success" && answer["details", "uid"] == owner["metadata", "uid"])
            #expect(c.get("\(cms)/owner").status == 404)
            #expect(c.get("\(cms)/child").status == 404)
        }
    }

    @Test func orphanKeepsDependentsWithoutTheReference() throws {
        try withSandbox { _, c in
            let owner = c.post(cms, configMap("owner")).json
            c.post(cms, owned("child", by: owner))
            c.delete("\(cms)/owner?propagationPolicy=Orphan")
            let child = c.get("\(cms)/child")
            #expect(child.status == 200)
            #expect(child.json["metadata", "ownerReferences"] == nil)
        }
    }

    @Test func foregroundWaitsForDependents() throws {
        try withSandbox { _, c in
            let owner = c.post(cms, configMap("owner")).json
            var child = owned("child", by: owner)
            child["metadata", "finalizers"] = ["example.io/slow"]
            c.post(cms, child)
            c.delete("\(cms)/owner?propagationPolicy=Foreground")
            let waiting = c.get("\(cms)/owner").json
            #expect(waiting.finalizers == ["foregroundDeletion"])
            #expect(waiting.deletionTimestamp != nil)
            #expect(c.get("\(cms)/child").json.deletionTimestamp != nil)
            c.patch("\(cms)/child", ["metadata": ["finalizers": nil]])
            #expect(c.get("\(cms)/child").status == 404)
            #expect(c.get("\(cms)/owner").status == 404, "the owner goes once its dependents are gone")
        }
    }

    @Test func deletingANamespaceDeletesItsContent() throws {
        try withSandbox { _, c in
            c.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "doomed"]])
            c.post("/api/v1/namespaces/doomed/configmaps", configMap("inside"))
            c.post("/apis/apps/v1/namespaces/doomed/deployments", deployment("web"))
            c.delete("/api/v1/namespaces/doomed")
            #expect(c.get("/api/v1/namespaces/doomed/configmaps/inside").status == 404)
            #expect(c.get("/apis/apps/v1/namespaces/doomed/deployments/web").status == 404)
            #expect(c.get("/api/v1/namespaces/doomed").status == 404)
        }
    }

    @Test func terminatingNamespaceRefusesNewContent() throws {
        try withSandbox { _, c in
            c.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "closing"]])
            var stuck = configMap("stuck")
            stuck["metadata", "finalizers"] = ["example.io/hold"]
            c.post("/api/v1/namespaces/closing/configmaps", stuck)
            c.delete("/api/v1/namespaces/closing")
            #expect(c.get("/api/v1/namespaces/closing").json["status", "phase"] == "Terminating")
            let refused = c.post("/api/v1/namespaces/closing/configmaps", configMap("new"))
            #expect(refused.status == 403)
            c.patch("/api/v1/namespaces/closing/configmaps/stuck", ["metadata": ["finalizers": nil]])
            #expect(c.get("/api/v1/namespaces/closing").status == 404)
        }
    }

    @Test func longOwnerChainsAreCollectedWithoutRecursion() throws {
        try withSandbox { _, c in
            var owner = c.post(cms, configMap("link-0")).json
            for i in 1...200 { owner = c.post(cms, owned("link-\(i)", by: owner)).json }
            c.delete("\(cms)/link-0")
            #expect(c.get(cms).json["items"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func deleteCollectionWithASelector() throws {
        try withSandbox { _, c in
            c.post(cms, configMap("x1", labels: ["batch": "1"]))
            c.post(cms, configMap("x2", labels: ["batch": "1"]))
            c.post(cms, configMap("keep"))
            #expect(c.send("DELETE", "\(cms)?labelSelector=batch%3D1").status == 200)
            let left = (c.get(cms).json["items"]?.arrayValue ?? []).compactMap(\.name)
            #expect(left == ["keep"])
        }
    }
}
