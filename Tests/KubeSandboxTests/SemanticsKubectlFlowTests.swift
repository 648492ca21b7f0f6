import Testing
import KubeCore
@testable import KubeSandbox

/// The sequences of writes kubectl makes, run through the semantics the sandbox composes.
@Suite struct SemanticsKubectlFlowTests {
    let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "ops"],
                         "data": ["level": "info", "mode": "a"]]

    @Test func clientSideApplyTwiceThenServerSideApplyOfTheSameValues() throws {
        // kubectl apply (client-side): POST, then a strategic merge patch for the change.
        let created = FieldManager.update(old: nil, new: cm, manager: "kubectl-client-side-apply", subresource: nil, now: "t1")
        let patched = try StrategicMergePatch.apply(["data": ["level": "debug", "mode": nil]], to: created)
        let updated = FieldManager.update(old: created, new: patched, manager: "kubectl-client-side-apply", subresource: nil, now: "t2")
        #expect(updated["data"] == ["level": "debug"])
        let csa = try #require(ManagedFieldsEntry.entries(of: updated).first)
        #expect(csa.fields.fieldsV1 == ["f:data": [".": [:], "f:level": [:]]], "the removed key left the manager")

        // kubectl apply --server-side with the same values: no conflict, ownership shared.
        var config = cm
        config["data"] = ["level": "debug"]
        let applied = try FieldManager.apply(config, to: updated, manager: "kubectl", force: false, subresource: nil, now: "t3")
        #expect(applied["data"] == ["level": "debug"])
        #expect(ManagedFieldsEntry.entries(of: applied).map(\.manager) == ["kubectl", "kubectl-client-side-apply"])
        // A different value now conflicts with the client-side manager.
        config["data", "level"] = "warn"
        let error = try #require(throws: APIStatus.self) {
            try FieldManager.apply(config, to: applied, manager: "kubectl", force: false, subresource: nil, now: "t4")
        }
        #expect(error.message == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.level"#)
    }

    @Test func kubectlUpgradesClientSideOwnershipWithAJSONPatchOfManagedFields() throws {
        let created = FieldManager.update(old: nil, new: cm, manager: "kubectl-client-side-apply", subresource: nil, now: "t1")
        // kubectl's csaupgrade rewrites the entry to an Apply entry of "kubectl".
        let patch: JSONValue = [
            ["op": "test", "path": "/metadata/managedFields/0/manager", "value": "kubectl-client-side-apply"],
            ["op": "replace", "path": "/metadata/managedFields/0/manager", "value": "kubectl"],
            ["op": "replace", "path": "/metadata/managedFields/0/operation", "value": "Apply"],
        ]
        let rewritten = try JSONPatch.apply(patch, to: created)
        let upgraded = FieldManager.update(old: created, new: rewritten, manager: "kubectl", subresource: nil, now: "t2")
        let entries = ManagedFieldsEntry.entries(of: upgraded)
        #expect(entries.map(\.manager) == ["kubectl"])
        #expect(entries.first?.operation == .apply)
        // Now a server-side apply without `mode` removes it: kubectl owns it as an applier.
        var config = cm
        config["data"] = ["level": "info"]
        let applied = try FieldManager.apply(config, to: upgraded, manager: "kubectl", force: false, subresource: nil, now: "t3")
        #expect(applied["data"] == ["level": "info"])
    }

    @Test func labelAndMergePatchRecordTheirManager() throws {
        let created = try FieldManager.apply(cm, to: nil, manager: "kubectl", force: false, subresource: nil, now: "t1")
        let labelled = MergePatch.apply(["metadata": ["labels": ["team": "sre"]]], to: created)
        let updated = FieldManager.update(old: created, new: labelled, manager: "kubectl-label", subresource: nil, now: "t2")
        let label = try #require(ManagedFieldsEntry.entries(of: updated).first { $0.manager == "kubectl-label" })
        #expect(label.fields.fieldsV1 == ["f:metadata": ["f:labels": [".": [:], "f:team": [:]]]])
        // Re-applying the original config keeps the label: kubectl never owned it.
        let reapplied = try FieldManager.apply(cm, to: updated, manager: "kubectl", force: false, subresource: nil, now: "t3")
        #expect(reapplied == updated)
    }
}

@Suite struct SemanticsMergeKeysTests {
    @Test func builtInGroups() {
        #expect(MergeKeys.isBuiltIn(apiVersion: "v1"))
        #expect(MergeKeys.isBuiltIn(apiVersion: "apps/v1"))
        #expect(MergeKeys.isBuiltIn(apiVersion: "rbac.authorization.k8s.io/v1"))
        #expect(!MergeKeys.isBuiltIn(apiVersion: "incidentops.io/v1alpha1"))
    }

    @Test func customResourcesWithoutSchemaHaveAtomicLists() {
        let keys = MergeKeys(for: ["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform"])
        #expect(keys.listType(at: ["spec", "template", "spec", "containers"]) == .atomic)
        #expect(keys.listType(at: ["metadata", "finalizers"]) == .set)
        #expect(keys.listType(at: ["metadata", "ownerReferences"]) == .map(keys: ["uid"]))
    }

    @Test func workloadPaths() {
        let keys = MergeKeys(for: ["apiVersion": "apps/v1", "kind": "StatefulSet"])
        #expect(keys.listType(at: ["spec", "template", "spec", "initContainers"]) == .map(keys: ["name"]))
        #expect(keys.listType(at: ["spec", "template", "spec", "containers", "env"]) == .map(keys: ["name"]))
        #expect(keys.listType(at: ["spec", "template", "spec", "containers", "args"]) == .atomic)
        #expect(keys.listType(at: ["spec", "volumeClaimTemplates"]) == .atomic)
        #expect(keys.listType(at: ["spec", "ports"]) == .atomic, "only a Service's spec.ports merge by port")
        #expect(keys.isAtomicMap(at: ["spec", "selector"]))
        #expect(!MergeKeys(for: ["apiVersion": "v1", "kind": "Service"]).isAtomicMap(at: ["spec", "selector"]))
    }
}
