import Testing
import KubeCore
@testable import KubeSandbox

@Suite struct SemanticsFieldManagerTests {
    let t1 = "2026-01-01T00:00:00Z"
    let t2 = "2026-01-01T00:01:00Z"
    let t3 = "2026-01-01T00:02:00Z"

    func deployment(replicas: Int? = 2, image: String = "app:1", env: [JSONValue] = [], labels: JSONValue = ["app": "web"]) -> JSONValue {
        var container: JSONValue = ["name": "app", "image": .string(image)]
        if !env.isEmpty { container["env"] = .array(env) }
        var d: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "ops", "labels": labels],
            "spec": ["selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [container]]]],
        ]
        if let replicas { d["spec", "replicas"] = .int(replicas) }
        return d
    }

    func entries(_ object: JSONValue) -> [ManagedFieldsEntry] { ManagedFieldsEntry.entries(of: object) }
    func entry(_ object: JSONValue, _ manager: String) -> ManagedFieldsEntry? { entries(object).first { $0.manager == manager } }
    func owns(_ object: JSONValue, _ manager: String, _ path: FieldPath) -> Bool { entry(object, manager)?.fields.paths.contains(path) ?? false }

    let replicasPath: FieldPath = [.field("spec"), .field("replicas")]

    @Test func applyCreatesTheObjectAndRecordsFieldsV1() throws {
        let created = try FieldManager.apply(deployment(), to: nil, manager: "kubectl", force: false, subresource: nil, now: t1)
        #expect(created["spec", "replicas"] == 2)
        let mf = try #require(created["metadata", "managedFields"]?.arrayValue)
        #expect(mf.count == 1)
        #expect(mf[0]["manager"] == "kubectl")
        #expect(mf[0]["operation"] == "Apply")
        #expect(mf[0]["apiVersion"] == "apps/v1")
        #expect(mf[0]["time"] == .string(t1))
        #expect(mf[0]["fieldsType"] == "FieldsV1")
        #expect(mf[0]["subresource"] == nil)
        let fields = try #require(mf[0]["fieldsV1"])
        #expect(fields["f:spec", "f:replicas"] == [:])
        #expect(fields["f:spec", "f:selector"] == [:], "a LabelSelector is atomic")
        #expect(fields["f:metadata", "f:labels", "f:app"] == [:])
        #expect(fields["f:metadata", "f:name"] == nil, "metadata.name is not owned")
        #expect(fields["f:apiVersion"] == nil && fields["f:kind"] == nil)
        let item = try #require(fields["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"app"}"#])
        #expect(item == [".": [:], "f:image": [:], "f:name": [:]])
        #expect(fields["f:metadata", "f:managedFields"] == nil)
    }

    @Test func reapplyingTheSameConfigIsANoOp() throws {
        let first = try FieldManager.apply(deployment(), to: nil, manager: "kubectl", force: false, subresource: nil, now: t1)
        let second = try FieldManager.apply(deployment(), to: first, manager: "kubectl", force: false, subresource: nil, now: t2)
        #expect(second == first)
    }

    @Test func fieldLeftOutOfTheConfigIsRemoved() throws {
        let first = try FieldManager.apply(deployment(labels: ["app": "web", "tier": "front"]), to: nil, manager: "kubectl", force: false, subresource: nil, now: t1)
        let second = try FieldManager.apply(deployment(replicas: nil), to: first, manager: "kubectl", force: false, subresource: nil, now: t2)
        #expect(second["metadata", "labels"] == ["app": "web"])
        #expect(second["spec", "replicas"] == nil)
        #expect(!owns(second, "kubectl", replicasPath))
        #expect(entry(second, "kubectl")?.time == t2)
    }

    @Test func fieldOwnedByAnotherManagerSurvivesRemoval() throws {
        let a = try FieldManager.apply(deployment(), to: nil, manager: "a", force: false, subresource: nil, now: t1)
        // b applies the same replicas value: no conflict, shared ownership.
        let bConfig: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"], "spec": ["replicas": 2]]
        let shared = try FieldManager.apply(bConfig, to: a, manager: "b", force: false, subresource: nil, now: t2)
        #expect(owns(shared, "a", replicasPath))
        #expect(owns(shared, "b", replicasPath))
        // a drops replicas: b still owns it, so it stays.
        let dropped = try FieldManager.apply(deployment(replicas: nil), to: shared, manager: "a", force: false, subresource: nil, now: t3)
        #expect(dropped["spec", "replicas"] == 2)
        #expect(!owns(dropped, "a", replicasPath))
        #expect(owns(dropped, "b", replicasPath))
    }

    @Test func conflictWithAnUpdaterIs409LikeTheServer() throws {
        let applied = try FieldManager.apply(deployment(), to: nil, manager: "kubectl", force: false, subresource: nil, now: t1)
        var edited = applied
        edited["spec", "replicas"] = 3
        let updated = FieldManager.update(old: applied, new: edited, manager: "kubectl-client-side-apply", subresource: nil, now: t2)
        #expect(owns(updated, "kubectl-client-side-apply", replicasPath))
        #expect(!owns(updated, "kubectl", replicasPath), "an update takes the field it changed")

        let error = try #require(throws: APIStatus.self) {
            try FieldManager.apply(deployment(replicas: 5), to: updated, manager: "other", force: false, subresource: nil, now: t3)
        }
        #expect(error.code == 409)
        #expect(error.reason == .conflict)
        #expect(error.message == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas"#)
        let cause = try #require(error.details?["causes"]?.arrayValue?.first)
        #expect(cause == ["reason": "FieldManagerConflict", "message": #"conflict with "kubectl-client-side-apply" using apps/v1"#, "field": ".spec.replicas"])
    }

    @Test func forceMovesOwnershipToTheApplier() throws {
        let a = try FieldManager.apply(deployment(replicas: 2), to: nil, manager: "a", force: false, subresource: nil, now: t1)
        #expect(throws: APIStatus.self) {
            try FieldManager.apply(deployment(replicas: 7), to: a, manager: "b", force: false, subresource: nil, now: t2)
        }
        let forced = try FieldManager.apply(deployment(replicas: 7), to: a, manager: "b", force: true, subresource: nil, now: t2)
        #expect(forced["spec", "replicas"] == 7)
        #expect(owns(forced, "b", replicasPath))
        #expect(!owns(forced, "a", replicasPath))
        #expect(owns(forced, "a", [.field("metadata"), .field("labels"), .field("app")]), "a keeps the fields it did not lose")
        // a re-applies its old config: now a conflict with b.
        let error = try #require(throws: APIStatus.self) {
            try FieldManager.apply(deployment(replicas: 2), to: forced, manager: "a", force: false, subresource: nil, now: t3)
        }
        #expect(error.message == #"Apply failed with 1 conflict: conflict with "b": .spec.replicas"#)
    }

    @Test func severalConflictsAreListedByManager() throws {
        let a = try FieldManager.apply(deployment(replicas: 2, image: "app:1"), to: nil, manager: "a", force: false, subresource: nil, now: t1)
        let error = try #require(throws: APIStatus.self) {
            try FieldManager.apply(deployment(replicas: 3, image: "app:2"), to: a, manager: "b", force: false, subresource: nil, now: t2)
        }
        #expect(error.message == """
            Apply failed with 2 conflicts: conflicts with "a":
            - .spec.replicas
            - .spec.template.spec.containers[name="app"].image
            """)
        #expect(error.details?["causes"]?.arrayValue?.count == 2)
    }

    @Test func updateThatRemovesAnAppliedFieldTakesItsOwnership() throws {
        let applied = try FieldManager.apply(deployment(), to: nil, manager: "kubectl", force: false, subresource: nil, now: t1)
        var edited = applied
        edited["spec", "replicas"] = nil
        let updated = FieldManager.update(old: applied, new: edited, manager: "editor", subresource: nil, now: t2)
        #expect(!owns(updated, "kubectl", replicasPath))
        #expect(entry(updated, "editor") == nil, "removing a field gives the remover nothing to own")
        // Re-applying the config sets the field again without conflict.
        let reapplied = try FieldManager.apply(deployment(), to: updated, manager: "kubectl", force: false, subresource: nil, now: t3)
        #expect(reapplied["spec", "replicas"] == 2)
        #expect(owns(reapplied, "kubectl", replicasPath))
    }

    @Test func listItemsAreOwnedByKey() throws {
        let a = try FieldManager.apply(deployment(env: [["name": "A", "value": "1"], ["name": "B", "value": "2"]]), to: nil,
                                       manager: "a", force: false, subresource: nil, now: t1)
        // b adds a sidecar container and an env var to the app container.
        let bConfig: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                                  "spec": ["template": ["spec": ["containers": [
                                      ["name": "app", "env": [["name": "C", "value": "3"]]],
                                      ["name": "sidecar", "image": "side:1"],
                                  ]]]]]
        let both = try FieldManager.apply(bConfig, to: a, manager: "b", force: false, subresource: nil, now: t2)
        let containers = try #require(both["spec", "template", "spec", "containers"]?.arrayValue)
        #expect(containers.map { $0["name"] } == ["app", "sidecar"])
        #expect(containers[0]["env"]?.arrayValue?.map { $0["name"] } == ["A", "B", "C"])
        #expect(containers[0]["image"] == "app:1")
        let sidecarPath: FieldPath = [.field("spec"), .field("template"), .field("spec"), .field("containers"), .key(["name": "sidecar"])]
        #expect(owns(both, "b", sidecarPath))
        // a drops env B: removed; b's C and sidecar stay.
        let dropped = try FieldManager.apply(deployment(env: [["name": "A", "value": "1"]]), to: both, manager: "a", force: false, subresource: nil, now: t3)
        let after = try #require(dropped["spec", "template", "spec", "containers"]?.arrayValue)
        #expect(after[0]["env"]?.arrayValue?.map { $0["name"] } == ["A", "C"])
        #expect(after.count == 2)
        // b drops its sidecar: the whole item goes.
        let bOnlyEnv: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                                   "spec": ["template": ["spec": ["containers": [["name": "app", "env": [["name": "C", "value": "3"]]]]]]]]
        let noSidecar = try FieldManager.apply(bOnlyEnv, to: dropped, manager: "b", force: false, subresource: nil, now: t3)
        #expect(noSidecar["spec", "template", "spec", "containers"]?.arrayValue?.map { $0["name"] } == ["app"])
    }

    @Test func portsAreKeyedWithTheDefaultProtocol() throws {
        let svc: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "s"],
                              "spec": ["ports": [["port": 80, "targetPort": 8080]]]]
        let created = try FieldManager.apply(svc, to: nil, manager: "m", force: false, subresource: nil, now: t1)
        let fields = try #require(entry(created, "m")?.fields.fieldsV1)
        #expect(fields["f:spec", "f:ports", #"k:{"port":80,"protocol":"TCP"}"#, "f:targetPort"] == [:])
    }

    @Test func finalizersAreASet() throws {
        let a: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "finalizers": ["x"]]]
        let b: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "finalizers": ["y"]]]
        let one = try FieldManager.apply(a, to: nil, manager: "a", force: false, subresource: nil, now: t1)
        let two = try FieldManager.apply(b, to: one, manager: "b", force: false, subresource: nil, now: t2)
        #expect(two["metadata", "finalizers"] == ["x", "y"])
        #expect(entry(two, "b")?.fields.fieldsV1["f:metadata", "f:finalizers", #"v:"y""#] == [:])
    }

    @Test func firstApplyToAnUnmanagedObjectConflictsWithBeforeFirstApply() throws {
        let legacy = deployment(replicas: 4)
        let error = try #require(throws: APIStatus.self) {
            try FieldManager.apply(deployment(replicas: 1), to: legacy, manager: "kubectl", force: false, subresource: nil, now: t1)
        }
        #expect(error.message == #"Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas"#)
        let same = try FieldManager.apply(deployment(replicas: 4), to: legacy, manager: "kubectl", force: false, subresource: nil, now: t1)
        #expect(same["spec", "replicas"] == 4)
        #expect(entry(same, "before-first-apply") != nil)
    }

    @Test func updateRecordsAddedMapsWithDot() throws {
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "uid": "u", "resourceVersion": "1"], "data": ["a": "1"]]
        let created = FieldManager.update(old: nil, new: cm, manager: "kubectl-create", subresource: nil, now: t1)
        let e = try #require(entry(created, "kubectl-create"))
        #expect(e.operation == .update)
        #expect(e.fields.fieldsV1 == ["f:data": [".": [:], "f:a": [:]]])
        // A no-op update changes nothing, not even the time.
        let again = FieldManager.update(old: created, new: created, manager: "kubectl-create", subresource: nil, now: t2)
        #expect(again == created)
        // Another writer changes a key: it takes that key.
        var edited = created
        edited["data", "a"] = "2"
        edited["data", "b"] = "3"
        let changed = FieldManager.update(old: created, new: edited, manager: "kubectl-edit", subresource: nil, now: t2)
        #expect(entry(changed, "kubectl-edit")?.fields.fieldsV1 == ["f:data": ["f:a": [:], "f:b": [:]]])
        #expect(entry(changed, "kubectl-create")?.fields.fieldsV1 == ["f:data": [:]], "a member without children is written as {}")
    }

    @Test func updateHonoursManagedFieldsSentByTheClient() throws {
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["a": "1"]]
        let created = FieldManager.update(old: nil, new: cm, manager: "m", subresource: nil, now: t1)
        var reset = created
        reset["metadata", "managedFields"] = [[:]]
        let cleared = FieldManager.update(old: created, new: reset, manager: "m", subresource: nil, now: t2)
        #expect(cleared["metadata", "managedFields"] == nil)
        var without = created
        without["metadata", "managedFields"] = nil
        #expect(FieldManager.update(old: created, new: without, manager: "m", subresource: nil, now: t2) == created)
    }

    @Test func statusSubresourceIsRecorded() throws {
        let obj = try FieldManager.apply(deployment(), to: nil, manager: "kubectl", force: false, subresource: nil, now: t1)
        var withStatus = obj
        withStatus["status"] = ["replicas": 2]
        let updated = FieldManager.update(old: obj, new: withStatus, manager: "controller", subresource: "status", now: t2)
        let e = try #require(entry(updated, "controller"))
        #expect(e.subresource == "status")
        #expect(e.json["subresource"] == "status")
        let statusApply: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"], "status": ["replicas": 3]]
        let error = try #require(throws: APIStatus.self) {
            try FieldManager.apply(statusApply, to: updated, manager: "other", force: false, subresource: "status", now: t3)
        }
        #expect(error.message == #"Apply failed with 1 conflict: conflict with "controller" with subresource "status" using apps/v1: .status.replicas"#)
    }

    @Test func customResourceListsFollowTheSchema() throws {
        let schema: JSONValue = ["type": "object", "properties": ["spec": ["type": "object", "properties": [
            "routes": ["type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                       "items": ["type": "object", "properties": ["name": ["type": "string"], "to": ["type": "string"]]]],
            "tags": ["type": "array", "items": ["type": "string"]],
        ]]]]
        func cr(_ routes: [JSONValue], _ tags: [JSONValue]) -> JSONValue {
            ["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform", "metadata": ["name": "p"],
             "spec": ["routes": .array(routes), "tags": .array(tags)]]
        }
        let a = try FieldManager.apply(cr([["name": "r1", "to": "x"]], ["t1"]), to: nil, manager: "a", force: false, subresource: nil, now: t1, schema: schema)
        let bConfig: JSONValue = ["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform", "metadata": ["name": "p"],
                                  "spec": ["routes": [["name": "r2", "to": "y"]]]]
        let b = try FieldManager.apply(bConfig, to: a, manager: "b", force: false, subresource: nil, now: t2, schema: schema)
        #expect(b["spec", "routes"]?.arrayValue?.count == 2)
        let fields = try #require(entry(b, "a")?.fields.fieldsV1)
        #expect(fields["f:spec", "f:tags"] == [:], "a list without list-type is atomic")
        let tagsConflict = try #require(throws: APIStatus.self) {
            try FieldManager.apply(cr([["name": "r1", "to": "x"]], ["t2"]), to: b, manager: "c", force: false, subresource: nil, now: t3, schema: schema)
        }
        #expect(tagsConflict.message.hasSuffix(": .spec.tags"))
    }

    @Test func malformedConfigurationsAreRejected() throws {
        var withManaged = deployment()
        withManaged["metadata", "managedFields"] = []
        let e1 = try #require(throws: APIStatus.self) {
            try FieldManager.apply(withManaged, to: nil, manager: "m", force: false, subresource: nil, now: t1)
        }
        #expect(e1.code == 400)
        #expect(e1.message == "metadata.managedFields must be nil")
        var noKey = deployment()
        noKey["spec", "template", "spec", "containers"] = [["image": "x"]]
        let e2 = try #require(throws: APIStatus.self) {
            try FieldManager.apply(noKey, to: nil, manager: "m", force: false, subresource: nil, now: t1)
        }
        #expect(e2.code == 400)
        #expect(e2.message.contains(#"omits key field "name""#))
        var duplicate = deployment()
        duplicate["spec", "template", "spec", "containers"] = [["name": "a"], ["name": "a"]]
        #expect(throws: APIStatus.self) { try FieldManager.apply(duplicate, to: nil, manager: "m", force: false, subresource: nil, now: t1) }
    }

    @Test func serverManagedMetadataIsKeptFromTheLiveObject() throws {
        var live = try FieldManager.apply(deployment(), to: nil, manager: "m", force: false, subresource: nil, now: t1)
        live["metadata", "uid"] = "u-1"
        live["metadata", "resourceVersion"] = "10"
        live["metadata", "generation"] = 1
        var config = deployment()
        config["metadata", "uid"] = "forged"
        let result = try FieldManager.apply(config, to: live, manager: "m", force: false, subresource: nil, now: t2)
        #expect(result["metadata", "uid"] == "u-1")
        #expect(result["metadata", "resourceVersion"] == "10")
        #expect(result == live)
    }
}
