import IncidentPlatform
import KubeClient
import KubeCore
import KubeRuntime

extension PlatformReconciler {
    /// Cleans up a platform being deleted, then removes the operator's finalizer (guarded: another
    /// controller's finalizer is never removed).
    ///
    /// Deletes the cluster-scoped children (garbage collection cannot: they have no owner reference) and,
    /// with `deletionPolicy: Delete`, the database PVC; with `Retain` (or a spec that no longer validates)
    /// the PVC is left, without an owner reference, so it survives the platform. Namespaced children go
    /// with the platform through their owner references.
    public static func finalize(_ object: JSONValue, context: PlatformContext) async throws -> Action {
        guard object.finalizers.contains(FinalizerPatch.name), let name = object.name, let namespace = object.namespace else {
            return .awaitChange
        }
        let log = Reconciliation.logger
        let policy: DeletionPolicy
        switch PlatformSpecLoader.load(object, defaultNamespace: namespace) {
        case .success(let platform): policy = platform.spec.database.storage.deletionPolicy
        case .failure: policy = .retain  // cannot tell: keep the data
        }
        let mine = context.allChildren().filter { PruneSet.belongs($0, platform: name, namespace: namespace, uid: object.uid) }
            + context.allChildren().filter { $0.kind == "PersistentVolumeClaim" && $0.namespace == namespace
                && $0.labels[PruneSet.managedByLabel] == PruneSet.managedByValue && $0.labels[PruneSet.instanceLabel] == name
                && !PruneSet.belongs($0, platform: name, namespace: namespace, uid: object.uid) }
        var outcome = ApplyOutcome()
        for child in mine {
            let clusterScoped = (child.namespace ?? "").isEmpty
            if clusterScoped {
                await delete(child, context: context, outcome: &outcome)
            } else if child.kind == "PersistentVolumeClaim" {
                switch policy {
                case .delete:
                    await delete(child, context: context, outcome: &outcome)
                case .retain:
                    try await release(child, platformUID: object.uid, context: context)
                }
            }
        }
        if !outcome.failures.isEmpty {
            throw ReconcileFailure(message: outcome.failures.map(\.message).joined(separator: "; "))
        }
        if let patch = FinalizerPatch.removing(from: object) {
            _ = try await context.client.patch(.incidentPlatforms, name: name, namespace: namespace, .json(patch))
        }
        log.info("Finalized", ["deleted": .int(outcome.deleted.count), "databaseVolume": .string(policy == .retain ? "retained" : "deleted")])
        return .awaitChange
    }

    /// Removes the platform's owner reference from a retained PVC (set when the policy was Delete), so garbage
    /// collection does not take it with the platform.
    static func release(_ pvc: JSONValue, platformUID: String?, context: PlatformContext) async throws {
        let refs = pvc["metadata", "ownerReferences"]?.arrayValue ?? []
        guard let platformUID, refs.contains(where: { $0["uid"]?.stringValue == platformUID }), let name = pvc.name else { return }
        let kept = refs.filter { $0["uid"]?.stringValue != platformUID }
        let patch: [JSONValue] = [
            ["op": "test", "path": "/metadata/ownerReferences", "value": .array(refs)],
            ["op": "replace", "path": "/metadata/ownerReferences", "value": .array(kept)],
        ]
        _ = try await context.client.patch(.persistentVolumeClaims, name: name, namespace: pvc.namespace, .json(patch))
    }
}
