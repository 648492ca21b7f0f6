import KubeCore
import PlatformController
import Testing

@Suite("Child plan: apply, skip, adopt, refuse")
struct ChildPlanTests {
    let desired = ChildProjection.annotated(Fixtures.deployment(name: "web"))

    /// What the informer would hold after `desired` was applied as is.
    var liveAsApplied: JSONValue { ChildProjection.project(desired) }

    @Test func missingChildIsCreated() {
        #expect(ChildPlan.decide(desired: desired, live: nil, recorded: nil) == .apply(desired, existed: false))
    }

    @Test func unchangedChildIsSkipped() {
        let live = liveAsApplied
        let hash = live[ChildProjection.liveHashKey]?.stringValue
        #expect(ChildPlan.decide(desired: desired, live: live, recorded: hash) == .upToDate(adoptLiveHash: nil))
    }

    @Test func afterARestartTheLiveHashIsAdopted() {
        let live = liveAsApplied
        #expect(ChildPlan.decide(desired: desired, live: live, recorded: nil)
                == .upToDate(adoptLiveHash: live[ChildProjection.liveHashKey]?.stringValue))
    }

    @Test func aHandEditIsPutBack() {
        var edited = desired
        edited["spec", "template", "spec", "containers"] = [["name": "app", "image": "evil:1"]]
        let recorded = liveAsApplied[ChildProjection.liveHashKey]?.stringValue
        #expect(ChildPlan.decide(desired: desired, live: ChildProjection.project(edited), recorded: recorded) == .apply(desired, existed: true))
    }

    @Test func aNewDesiredSpecIsApplied() {
        var newer = Fixtures.deployment(name: "web")
        newer["spec", "template", "spec", "containers"] = [["name": "app", "image": "app:2"]]
        let annotated = ChildProjection.annotated(newer)
        let recorded = liveAsApplied[ChildProjection.liveHashKey]?.stringValue
        #expect(ChildPlan.decide(desired: annotated, live: liveAsApplied, recorded: recorded) == .apply(annotated, existed: true))
    }

    @Test func scaledReplicasAreRestoredWhenTheSpecSetsThem() {
        var scaled = desired
        scaled["spec", "replicas"] = 7
        let recorded = liveAsApplied[ChildProjection.liveHashKey]?.stringValue
        #expect(ChildPlan.decide(desired: desired, live: ChildProjection.project(scaled), recorded: recorded) == .apply(desired, existed: true))
    }

    @Test func generatedSecretsAreCreatedOnceOnly() {
        let secret = ChildProjection.annotated([
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": "demo-postgres-credentials", "namespace": "ops", "annotations": ["incidentops.io/create-once": "true"]],
            "stringData": ["password": "new"],
        ])
        #expect(ChildPlan.decide(desired: secret, live: nil, recorded: nil) == .createOnce(secret))
        var old = secret
        old["stringData", "password"] = "old"
        #expect(ChildPlan.decide(desired: secret, live: ChildProjection.project(old), recorded: "whatever") == .upToDate(adoptLiveHash: nil))
    }

    func pvc(size: String, storageClass: String? = nil) -> JSONValue {
        var o: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "demo-postgres-data", "namespace": "ops"],
                            "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": .string(size)]]]]
        if let storageClass { o["spec", "storageClassName"] = .string(storageClass) }
        return ChildProjection.annotated(o)
    }

    @Test func volumesGrowButNeverShrink() {
        let live = ChildProjection.project(pvc(size: "10Gi"))
        let bigger = pvc(size: "20Gi")
        #expect(ChildPlan.decide(desired: bigger, live: live, recorded: nil) == .apply(bigger, existed: true))
        guard case .refused(let reason, let message) = ChildPlan.decide(desired: pvc(size: "5Gi"), live: live, recorded: nil) else {
            Issue.record("a shrink must be refused")
            return
        }
        #expect(reason == "StorageShrinkRefused")
        #expect(message.contains("10Gi") && message.contains("5Gi"))
    }

    @Test func storageClassChangesAreRefused() {
        let live = ChildProjection.project(pvc(size: "10Gi", storageClass: "standard"))
        guard case .refused(let reason, _) = ChildPlan.decide(desired: pvc(size: "10Gi", storageClass: "fast"), live: live, recorded: nil) else {
            Issue.record("a storage class change must be refused")
            return
        }
        #expect(reason == "StorageClassChangeRefused")
        // Leaving the class unset keeps whatever the cluster chose.
        #expect(ChildPlan.volumeRefusal(desired: pvc(size: "10Gi"), live: live) == nil)
    }
}
