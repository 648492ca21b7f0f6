import KubeCore
import KubeRuntime

/// What the owned informers keep of each child, and the two hashes that make steady state write-free.
///
/// - The **spec hash** (annotation `incidentops.io/spec-hash`) is the hash of the desired object as the
///   reconciler applied it: equal annotation, same desired state.
/// - The **live hash** is a hash of the live object without `status`, server-managed metadata and fields
///   other controllers own (a PVC's binding, a scaled Deployment's `replicas`): after our last apply it is
///   recorded; a different value later means someone edited the object.
///
/// The projection keeps the metadata ownership and pruning need (a few labels, the owner references), both
/// hashes and the status fields readiness needs, never whole objects (and never a Secret's data).
public enum ChildProjection {
    /// The annotation carrying the desired object's hash.
    public static let specHashAnnotation = "incidentops.io/spec-hash"
    /// The key of the live hash in a projected object.
    public static let liveHashKey = "liveHash"

    /// Readiness and comparison fields kept besides metadata.
    static let keptPaths: [[String]] = [
        ["spec", "replicas"], ["status", "readyReplicas"], ["status", "updatedReplicas"], ["status", "observedGeneration"],
        ["status", "numberReady"], ["status", "desiredNumberScheduled"], ["status", "phase"],
        ["spec", "resources", "requests", "storage"], ["spec", "storageClassName"], ["status", "capacity", "storage"],
    ]

    /// Metadata fields kept whole. Not `resourceVersion`: a change the projection does not keep (a Deployment's
    /// conditions, its revision annotation) then leaves the cached object equal, so it queues no reconcile.
    /// `ownerReferences` stay whole: releasing retained data patches them with a JSON Patch `test` of the cached value.
    static let keptMetadata = ["name", "namespace", "uid", "ownerReferences", "deletionTimestamp", "generation", "finalizers"]

    /// The labels kept: those that map a child to its platform (``PruneSet``, ``ChildOwners``) and its component.
    static let keptLabels = [PruneSet.managedByLabel, PruneSet.instanceLabel, "app.kubernetes.io/name"]

    /// Annotations other controllers and tools write: never part of the live hash.
    static let volatileAnnotations = [
        "deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration",
        "pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller",
        "volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/storage-provisioner",
        "volume.kubernetes.io/selected-node",
    ]

    /// The projection of every owned informer.
    public static let projection = ObjectProjection { project($0) }

    /// The projected form of `object` (see the type's documentation).
    public static func project(_ object: JSONValue) -> JSONValue {
        var out: JSONValue = [:]
        if let v = object["apiVersion"] { out["apiVersion"] = v }
        if let v = object["kind"] { out["kind"] = v }
        var meta: JSONValue = [:]
        for key in keptMetadata { if let v = object["metadata", key] { meta[key] = v } }
        if let labels = object["metadata", "labels"]?.objectValue {
            var kept: [String: JSONValue] = [:]
            for key in keptLabels { if let v = labels[key] { kept[key] = v } }
            if !kept.isEmpty { meta["labels"] = .object(kept) }
        }
        if let hash = object["metadata", "annotations", specHashAnnotation] { meta["annotations"] = [specHashAnnotation: hash] }
        out["metadata"] = meta
        for path in keptPaths { if let v = object[path: path] { out[path: path] = v } }
        out[liveHashKey] = .string(liveHash(of: object))
        return out
    }

    /// The hash of `desired` as applied (without the spec-hash annotation itself).
    public static func specHash(of desired: JSONValue) -> String {
        var o = desired
        o["metadata", "annotations", specHashAnnotation] = nil
        if o["metadata", "annotations"]?.objectValue?.isEmpty == true { o["metadata", "annotations"] = nil }
        return ObjectProjection.contentHash(of: ["o": o], paths: [["o"]])
    }

    /// `desired` with its spec-hash annotation set.
    public static func annotated(_ desired: JSONValue) -> JSONValue {
        var o = desired
        o["metadata", "annotations", specHashAnnotation] = .string(specHash(of: desired))
        return o
    }

    /// The hash of a live object without status, server-managed metadata and fields others own.
    public static func liveHash(of object: JSONValue) -> String {
        ObjectProjection.contentHash(of: ["o": comparable(object)], paths: [["o"]])
    }

    /// The part of a live object the live hash covers.
    static func comparable(_ object: JSONValue) -> JSONValue {
        var o = object
        o["status"] = nil
        var meta: JSONValue = [:]
        for key in ["labels", "annotations", "ownerReferences"] { if let v = object["metadata", key] { meta[key] = v } }
        for key in volatileAnnotations { meta["annotations", key] = nil }
        if meta["annotations"]?.objectValue?.isEmpty == true { meta["annotations"] = nil }
        o["metadata"] = meta
        switch object.kind {
        case "PersistentVolumeClaim":
            // The binder fills these in after creation; storage class and mode are immutable anyway.
            for key in ["volumeName", "storageClassName", "volumeMode"] { o["spec", key] = nil }
        case "Deployment":
            // The HPA owns the count when autoscaling is on; the reconciler compares replicas on its own.
            o["spec", "replicas"] = nil
        default:
            break
        }
        return o
    }
}
