/// Labels that name an object's owner, for children an owner reference cannot point at (cluster-scoped
/// children of a namespaced owner, like a ClusterRole made for one platform).
public struct OwnerLabels: Sendable, Hashable {
    /// The label holding the owner's name.
    public var name: String
    /// The label holding the owner's namespace (nil: the child's own namespace).
    public var namespace: String?

    /// Owner labels `name` and `namespace`.
    public init(name: String, namespace: String? = nil) {
        self.name = name
        self.namespace = namespace
    }
}
