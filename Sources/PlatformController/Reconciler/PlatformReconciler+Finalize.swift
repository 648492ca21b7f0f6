import IncidentPlatform
import KubeClient
import KubeCore
import KubeRuntime

extension PlatformReconciler {
    /// Cleans up a platform being deleted (the runtime's ``Finalizer`` then removes the operator's finalizer,
    /// guarded so that another controller's finalizer is never removed). Idempotent: it may run again.
    ///
    /// Deletes the cluster-scoped children (garbage collection cannot: they have no owner reference) and,
    /// with `deletionPolicy: Delete`, the database's data (its PVC and generated credentials Secret); with
    /// `Retain` (or a spec that no longer validates) both are left, without an owner reference, so they survive
    /// the platform together: a platform re-created over the volume finds the password the data was made with.
    /// Namespaced children go with the platform through their owner references.
    public static func cleanUp(_ object: JSONValue, context: PlatformContext) async throws {
        guard let name = object.name, let namespace = object.namespace else { return }
        let log = Reconciliation.logger
        let policy: DeletionPolicy
        switch PlatformSpecLoader.load(object, defaultNamespace: namespace) {
        case .success(let platform): policy = platform.spec.database.storage.deletionPolicy
        case .failure: policy = .retain  // cannot tell: keep the data
        }
        let children = context.children(of: name, in: namespace)
        let clusterScoped = children.filter { ($0.namespace ?? "").isEmpty && PruneSet.belongs($0, platform: name, namespace: namespace, uid: object.uid) }
        // The database's data (volume and credentials), owned (Delete) or not (Retain); the other volumes are owned
        // and go with the platform.
        let databaseData = children.filter {
            ($0.kind == "PersistentVolumeClaim" || $0.kind == "Secret") && $0.namespace == namespace
                && $0.labels[PruneSet.managedByLabel] == PruneSet.managedByValue && $0.labels[PruneSet.instanceLabel] == name
                && $0.labels["app.kubernetes.io/name"] == PlatformComponent.postgres.componentName
        }
        var outcome = ApplyOutcome()
        for child in clusterScoped {
            await delete(child, context: context, outcome: &outcome)
        }
        for child in databaseData {
            switch policy {
            case .delete:
                await delete(child, context: context, outcome: &outcome)
            case .retain:
                try await release(child, platformUID: object.uid, context: context)
            }
        }
        if !outcome.failures.isEmpty {
            throw ReconcileFailure(message: outcome.failures.map(\.message).joined(separator: "; "))
        }
        log.info("Cleaned up", ["deleted": .int(outcome.deleted.count), "databaseVolume": .string(policy == .retain ? "retained" : "deleted")])
    }

    /// Removes the platform's owner reference from retained data (set when the policy was Delete), so garbage
    /// collection does not take it with the platform.
    static func release(_ child: JSONValue, platformUID: String?, context: PlatformContext) async throws {
        let refs = child["metadata", "ownerReferences"]?.arrayValue ?? []
        guard let platformUID, refs.contains(where: { $0["uid"]?.stringValue == platformUID }), let name = child.name,
              let resource = OperatorPermissions.descriptor(forKind: child.kind ?? "") else { return }
        let kept = refs.filter { $0["uid"]?.stringValue != platformUID }
        let patch: [JSONValue] = [
            ["op": "test", "path": "/metadata/ownerReferences", "value": .array(refs)],
            ["op": "replace", "path": "/metadata/ownerReferences", "value": .array(kept)],
        ]
        _ = try await context.client.patch(resource, name: name, namespace: child.namespace, .json(patch))
    }
}
