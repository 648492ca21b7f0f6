import KubeCore
import PlatformController
import Testing

@Suite("Prune set: only our children that are no longer desired")
struct PruneSetTests {
    func select(_ live: [JSONValue], desired: Set<String> = []) -> [String] {
        PruneSet.select(live: live, desired: desired, platform: "demo", namespace: "ops", uid: "uid-1").map(ChildPlan.key)
    }

    @Test func selectsOwnedChildrenNotDesired() {
        let loki = Fixtures.deployment(name: "demo-loki")
        let grafana = Fixtures.deployment(name: "demo-grafana")
        #expect(select([loki, grafana], desired: [ChildPlan.key(grafana)]) == ["Deployment/ops/demo-loki"])
    }

    @Test func neverSelectsForeignObjects() {
        var unlabelled = Fixtures.deployment(name: "a")
        unlabelled["metadata", "labels", "app.kubernetes.io/managed-by"] = "helm"
        let otherInstance = Fixtures.deployment(name: "b", instance: "other")
        let otherUID = Fixtures.deployment(name: "c", uid: "uid-2")
        let noOwner = Fixtures.deployment(name: "d", uid: nil)
        let otherNamespace = Fixtures.deployment(name: "e", namespace: "elsewhere")
        #expect(select([unlabelled, otherInstance, otherUID, noOwner, otherNamespace]).isEmpty)
    }

    @Test func neverSelectsVolumesOrObjectsBeingDeleted() {
        var pvc = Fixtures.deployment(name: "demo-postgres-data")
        pvc["kind"] = "PersistentVolumeClaim"
        var deleting = Fixtures.deployment(name: "demo-loki")
        deleting["metadata", "deletionTimestamp"] = "2026-01-01T00:00:00Z"
        #expect(select([pvc, deleting]).isEmpty)
    }

    @Test func clusterScopedChildrenAreMatchedByName() {
        func role(_ name: String, instance: String = "demo") -> JSONValue {
            ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
             "metadata": ["name": .string(name), "labels": ["app.kubernetes.io/managed-by": "incident-operator",
                                                            "app.kubernetes.io/instance": .string(instance)]]]
        }
        #expect(select([role("ops-demo-promtail"), role("prod-demo-promtail"), role("ops-demo-x", instance: "demo-x")])
                == ["ClusterRole//ops-demo-promtail"])
    }
}
