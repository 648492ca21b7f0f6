import KubeCore

/// Which live children of a platform are no longer desired and may be deleted.
///
/// Guarantees: only objects labelled `app.kubernetes.io/managed-by=incident-operator` and
/// `app.kubernetes.io/instance=<platform>` are ever chosen, and of those only namespaced objects in the
/// platform's namespace whose controller owner reference has the platform's uid, or cluster-scoped objects
/// named `<namespace>-<platform>-…`. PersistentVolumeClaims are never chosen (data is never deleted by a spec
/// change), nor objects already being deleted.
public enum PruneSet {
    /// The managed-by label and value every child carries.
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    /// `incident-operator`.
    public static let managedByValue = "incident-operator"
    /// The instance label: the platform's name.
    public static let instanceLabel = "app.kubernetes.io/instance"

    /// Whether `object` is a child of the platform `name` in `namespace` with `uid` (see the guarantees).
    public static func belongs(_ object: JSONValue, platform name: String, namespace: String, uid: String?) -> Bool {
        let labels = object.labels
        guard labels[managedByLabel] == managedByValue, labels[instanceLabel] == name else { return false }
        if let ns = object.namespace, !ns.isEmpty {
            guard ns == namespace, let uid else { return false }
            return (object["metadata", "ownerReferences"]?.arrayValue ?? []).contains {
                $0["uid"]?.stringValue == uid && $0["controller"]?.boolValue == true
            }
        }
        return (object.name ?? "").hasPrefix("\(namespace)-\(name)-")
    }

    /// The objects of `live` that belong to the platform and whose ``ChildPlan/key(_:)`` is not in `desired`.
    public static func select(live: [JSONValue], desired: Set<String>, platform name: String, namespace: String, uid: String?) -> [JSONValue] {
        live.filter { o in
            o.kind != "PersistentVolumeClaim" && o.deletionTimestamp == nil
                && belongs(o, platform: name, namespace: namespace, uid: uid) && !desired.contains(ChildPlan.key(o))
        }
    }
}
