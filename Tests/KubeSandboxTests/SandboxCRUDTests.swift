import Foundation
import KubeCore
import Testing
@testable import KubeSandbox

@Suite("Sandbox CRUD and patch semantics")
struct SandboxCRUDTests {
    let cms = "/api/v1/namespaces/default/configmaps"
    let deploys = "/apis/apps/v1/namespaces/default/deployments"

    @Test func createFillsMetadataWithOneGlobalResourceVersionCounter() throws {
        try withSandbox { _, c in
            let a = c.post(cms, configMap("a", data: ["k": "v"]))
            #expect(a.status == 201)
            let b = c.post("/api/v1/namespaces/kube-system/configmaps", configMap("b"))
            let rvA = try #require(a.json.resourceVersion.flatMap(Int.init))
            let rvB = try #require(b.json.resourceVersion.flatMap(Int.init))
            #expect(rvB > rvA)
            #expect(a.json.uid?.count == 36)
            #expect(a.json["metadata", "creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
            #expect(a.json.generation == nil, "core kinds such as ConfigMaps have no generation")
            #expect(c.post(deploys, deployment("g")).json.generation == 1)
            #expect(a.json["metadata", "managedFields", ]?.arrayValue?.first?["manager"]?.stringValue == "sandbox-tests")
            let list = c.get(cms).json
            #expect(list["metadata", "resourceVersion"]?.stringValue.flatMap(Int.init) ?? 0 >= rvB)
        }
    }

    @Test func errorsAreStatusObjectsWithTheRealCodes() throws {
        try withSandbox { _, c in
            let missing = c.get("\(cms)/nope")
            #expect(missing.status == 404)
            #expect(APIStatus(json: missing.json)?.reason == .notFound)
            #expect(APIStatus(json: missing.json)?.message == "configmaps \"nope\" not found")
            c.post(cms, configMap("dup"))
            let dup = c.post(cms, configMap("dup"))
            #expect(dup.status == 409 && APIStatus(json: dup.json)?.reason == .alreadyExists)
            let invalid = c.post(cms, configMap("Not_Valid"))
            #expect(invalid.status == 422 && APIStatus(json: invalid.json)?.reason == .invalid)
            #expect(invalid.json["details", "causes"]?.arrayValue?.first?["field"]?.stringValue == "metadata.name")
            let bad = c.send("POST", cms, nil)
            #expect(bad.status == 400 && APIStatus(json: bad.json)?.reason == .badRequest)
            let method = c.send("POST", "\(cms)/dup", configMap("dup"))
            #expect(method.status == 405 && APIStatus(json: method.json)?.reason == .methodNotAllowed)
            let media = c.patch("\(cms)/dup", [:], "text/plain")
            #expect(media.status == 415 && APIStatus(json: media.json)?.reason == .unsupportedMediaType)
            let noNamespace = c.post("/api/v1/namespaces/ghost/configmaps", configMap("x"))
            #expect(noNamespace.status == 404)
            let wrongKind = c.post(cms, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "x"]])
            #expect(wrongKind.status == 400)
            #expect(c.post("/api/v1/configmaps", configMap("nowhere")).status == 405, "namespaced kinds are created under a namespace")
            var absent = deployment("absent")
            absent["status"] = ["replicas": 1]
            let statusApply = c.send("PATCH", "\(deploys)/absent/status?fieldManager=x", absent, contentType: "application/apply-patch+yaml")
            #expect(statusApply.status == 404, "an apply through /status does not create")
        }
    }

    @Test func updateWithAStaleResourceVersionConflicts() throws {
        try withSandbox { _, c in
            let created = c.post(cms, configMap("cfg", data: ["a": "1"])).json
            var first = created
            first["data", "a"] = "2"
            #expect(c.put("\(cms)/cfg", first).status == 200)
            var stale = created
            stale["data", "a"] = "3"
            let conflict = c.put("\(cms)/cfg", stale)
            #expect(conflict.status == 409)
            #expect(APIStatus(json: conflict.json)?.reason == .conflict)
            #expect(c.get("\(cms)/cfg").json["data", "a"] == "2")
            let noop = c.get("\(cms)/cfg").json
            #expect(c.put("\(cms)/cfg", noop).json.resourceVersion == noop.resourceVersion, "an update that changes nothing keeps the resourceVersion")
        }
    }

    @Test func generationMovesOnSpecChangesOnly() throws {
        try withSandbox { _, c in
            c.post(deploys, deployment("web"))
            #expect(c.patch("\(deploys)/web", ["metadata": ["labels": ["x": "y"]]]).json.generation == 1)
            #expect(c.patch("\(deploys)/web/status", ["status": ["replicas": 9]]).json.generation == 1)
            #expect(c.patch("\(deploys)/web", ["spec": ["replicas": 3]]).json.generation == 2)
        }
    }

    @Test func statusSubresourceSeparatesStatusFromTheRest() throws {
        try withSandbox { _, c in
            c.post(deploys, deployment("api"))
            var object = c.get("\(deploys)/api").json
            object["metadata", "resourceVersion"] = nil  // unconditional: the simulator writes status meanwhile
            object["status"] = ["replicas": 42]
            object["spec", "replicas"] = 5
            let main = c.put("\(deploys)/api", object).json
            #expect(main["spec", "replicas"] == 5)
            #expect(main["status", "replicas"] != 42, "writes to the main resource ignore status")
            var viaStatus = main
            viaStatus["metadata", "resourceVersion"] = nil
            viaStatus["status"] = ["replicas": 42, "observedGeneration": 2]
            viaStatus["spec", "replicas"] = 7
            let status = c.put("\(deploys)/api/status", viaStatus).json
            #expect(status["status", "replicas"] == 42)
            #expect(status["spec", "replicas"] == 5, "writes through /status change only status")
        }
    }

    @Test func mergeJSONAndStrategicPatches() throws {
        try withSandbox { _, c in
            c.post(deploys, deployment("p"))
            let merged = c.patch("\(deploys)/p", ["metadata": ["annotations": ["a": "b"]]]).json
            #expect(merged.annotations["a"] == "b")
            let json = c.patch("\(deploys)/p", [["op": "replace", "path": "/spec/replicas", "value": 4]], "application/json-patch+json").json
            #expect(json["spec", "replicas"] == 4)
            let smp: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "sidecar", "image": "busybox"]]]]]]
            let strategic = c.patch("\(deploys)/p", smp, "application/strategic-merge-patch+json").json
            let names = strategic["spec", "template", "spec", "containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names?.sorted() == ["main", "sidecar"], "containers merge by name")
            let failing = c.patch("\(deploys)/p", [["op": "test", "path": "/spec/replicas", "value": 99]], "application/json-patch+json")
            #expect(failing.status == 422)
        }
    }

    @Test func serverSideApplyOwnsRemovesAndConflicts() throws {
        try withSandbox { _, c in
            let path = "\(cms)/owned?fieldManager=alice"
            let first = c.send("PATCH", path, configMap("owned", data: ["a": "1", "b": "2"]), contentType: "application/apply-patch+yaml")
            #expect(first.status == 201)
            let second = c.send("PATCH", path, configMap("owned", data: ["a": "1"]), contentType: "application/apply-patch+yaml")
            #expect(second.json["data"] == ["a": "1"], "a field the manager no longer applies is removed")
            let shared = c.send("PATCH", "\(cms)/owned?fieldManager=dave", configMap("owned", data: ["a": "1"]), contentType: "application/apply-patch+yaml")
            #expect(shared.status == 200, "applying the value another manager set shares ownership without conflict")
            let sharedManagers = c.get("\(cms)/owned").json["metadata", "managedFields"]?.arrayValue?.compactMap { $0["manager"]?.stringValue }
            #expect(sharedManagers?.contains("dave") == true, "the ownership change is stored")
            let again = c.send("PATCH", "\(cms)/owned?fieldManager=dave", configMap("owned", data: ["a": "1"]), contentType: "application/apply-patch+yaml")
            #expect(again.json.resourceVersion == shared.json.resourceVersion, "re-applying the same configuration writes nothing")
            let conflict = c.send("PATCH", "\(cms)/owned?fieldManager=bob", configMap("owned", data: ["a": "9"]), contentType: "application/apply-patch+yaml")
            #expect(conflict.status == 409)
            #expect(APIStatus(json: conflict.json)?.reason == .conflict)
            let forced = c.send("PATCH", "\(cms)/owned?fieldManager=bob&force=true", configMap("owned", data: ["a": "9"]), contentType: "application/apply-patch+yaml")
            #expect(forced.json["data", "a"] == "9")
            let managers = forced.json["metadata", "managedFields"]?.arrayValue?.compactMap { $0["manager"]?.stringValue }
            #expect(managers?.contains("bob") == true)
            let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromyaml\ndata:\n  k: v\n"
            #expect(c.sendText("PATCH", "\(cms)/fromyaml?fieldManager=carol", yaml, contentType: "application/apply-patch+yaml").status == 201)
            #expect(c.get("\(cms)/fromyaml").json["data", "k"] == "v", "apply bodies may be YAML")
        }
    }

    @Test func scaleSubresourceReadsAndWritesReplicas() throws {
        try withSandbox { _, c in
            c.post(deploys, deployment("s", replicas: 2))
            let scale = c.get("\(deploys)/s/scale").json
            #expect(scale["kind"] == "Scale" && scale["spec", "replicas"] == 2)
            #expect(scale["status", "selector"] == "app=s")
            let patched = c.patch("\(deploys)/s/scale", ["spec": ["replicas": 5]])
            #expect(patched.json["spec", "replicas"] == 5)
            let d = c.get("\(deploys)/s").json
            #expect(d["spec", "replicas"] == 5 && d.generation == 2)
            #expect(c.patch("\(deploys)/s/scale", ["spec": ["replicas": -1]]).status == 422)
            #expect(c.get("/api/v1/namespaces/default/configmaps/x/scale").status == 404)
        }
    }

    @Test func emptyMetadataMapsAreOmitted() throws {
        try withSandbox { _, c in
            var cm = configMap("e")
            cm["metadata", "annotations"] = [:]
            cm["metadata", "finalizers"] = []
            let created = c.post(cms, cm).json
            #expect(created["metadata", "annotations"] == nil && created["metadata", "finalizers"] == nil)
        }
    }

    @Test func nameRulesDependOnTheKind() throws {
        try withSandbox { _, c in
            let role: JSONValue = ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "system:sandbox-viewer"], "rules": []]
            #expect(c.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", role).status == 201)
            #expect(c.post(cms, configMap("has.dots-ok")).status == 201)
            let ns: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "no.dots"]]
            #expect(c.post("/api/v1/namespaces", ns).status == 422)
            #expect(c.post(cms, configMap("-leading")).status == 422)
        }
    }

    @Test func unknownTopLevelFieldsOfBuiltInKinds() throws {
        try withSandbox { _, c in
            var cm = configMap("typo", data: ["a": "1"])
            cm["dta"] = ["b": "2"]
            #expect(c.post(cms, cm).json["dta"] == nil, "dropped, as typed decoding does")
            cm["metadata", "name"] = "strict"
            let strict = c.post("\(cms)?fieldValidation=Strict", cm)
            #expect(strict.status == 400 && strict.text.contains(#"unknown field \"dta\""#))
        }
    }

    @Test func dryRunDoesNotPersist() throws {
        try withSandbox { _, c in
            let r = c.post("\(cms)?dryRun=All", configMap("dry"))
            #expect(r.status == 201 && r.json.name == "dry")
            #expect(c.get("\(cms)/dry").status == 404)
        }
    }
}
