import KubeCore

/// One change in the store, as watches deliver it.
struct WatchEvent: Sendable {
    /// `ADDED`, `MODIFIED` or `DELETED`.
    enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }

    var kind: Kind
    /// The resource's store key (`apps/deployments`).
    var storeKey: String
    /// The object after the change (for DELETED: as last stored, with the deletion's resourceVersion).
    var object: JSONValue
    /// The object before the change (MODIFIED only), so that selector watches can turn it into ADDED/DELETED.
    var previous: JSONValue? = nil
    /// The store revision of the change.
    var revision: Int
}
