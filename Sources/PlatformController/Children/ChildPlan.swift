import IncidentPlatform
import KubeCore

/// What the reconciler does with one desired child, decided from the desired object, the cached live object
/// and the live hash recorded after the last apply. Pure, so every rule is unit-tested.
public enum ChildPlan: Sendable, Equatable {
    /// Create a generated Secret (once; AlreadyExists is fine).
    case createOnce(JSONValue)
    /// Server-side apply; `existed` tells a create from an update.
    case apply(JSONValue, existed: Bool)
    /// Nothing to write. `adoptLiveHash` is set after a restart: the annotation matched, so the live hash
    /// becomes the recorded one.
    case upToDate(adoptLiveHash: String?)
    /// A change the operator refuses (a PVC shrink or storage class change): `reason` is CamelCase.
    case refused(reason: String, message: String)

    /// The plan for `desired` (already annotated with ``ChildProjection/annotated(_:)``) given the projected
    /// `live` object and the `recorded` live hash.
    public static func decide(desired: JSONValue, live: JSONValue?, recorded: String?) -> ChildPlan {
        if PlatformGenerator.isCreateOnce(desired) {
            return live == nil ? .createOnce(desired) : .upToDate(adoptLiveHash: nil)
        }
        guard let live else { return .apply(desired, existed: false) }
        if desired.kind == "PersistentVolumeClaim", let refusal = volumeRefusal(desired: desired, live: live) {
            return .refused(reason: refusal.reason, message: refusal.message)
        }
        let wanted = desired["metadata", "annotations", ChildProjection.specHashAnnotation]
        let sameSpec = wanted != nil && live["metadata", "annotations", ChildProjection.specHashAnnotation] == wanted
        let sameReplicas = desired["spec", "replicas"] == nil || desired["spec", "replicas"] == live["spec", "replicas"]
        let liveHash = live[ChildProjection.liveHashKey]?.stringValue
        guard sameSpec, sameReplicas, let liveHash else { return .apply(desired, existed: true) }
        guard let recorded else { return .upToDate(adoptLiveHash: liveHash) }
        return recorded == liveHash ? .upToDate(adoptLiveHash: nil) : .apply(desired, existed: true)
    }

    /// Why a PVC change is refused, if it is: a smaller size (`StorageShrinkRefused`) or another storage class
    /// (`StorageClassChangeRefused`). A larger size is allowed (volume expansion).
    public static func volumeRefusal(desired: JSONValue, live: JSONValue) -> (reason: String, message: String)? {
        let name = desired.name ?? ""
        if let wanted = desired["spec", "storageClassName"]?.stringValue, let current = live["spec", "storageClassName"]?.stringValue,
           wanted != current {
            return ("StorageClassChangeRefused",
                    "PersistentVolumeClaim \(name) uses storage class \"\(current)\"; spec.database.storage.storageClassName asks for \"\(wanted)\", which would need a new volume. Set it back to \"\(current)\" (or migrate the data to a new platform).")
        }
        if let wantedText = desired["spec", "resources", "requests", "storage"]?.stringValue,
           let currentText = live["spec", "resources", "requests", "storage"]?.stringValue,
           let wanted = try? Quantity(parsing: wantedText), let current = try? Quantity(parsing: currentText), wanted < current {
            return ("StorageShrinkRefused",
                    "PersistentVolumeClaim \(name) has \(currentText); spec.database.storage.size asks for \(wantedText), but volumes cannot shrink. Set the size to \(currentText) or more.")
        }
        return nil
    }

    /// The key of a child: `Kind/namespace/name` (empty namespace for cluster-scoped ones).
    public static func key(_ object: JSONValue) -> String {
        "\(object.kind ?? "")/\(object.namespace ?? "")/\(object.name ?? "")"
    }
}
