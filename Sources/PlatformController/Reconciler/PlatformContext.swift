import Foundation
import KubeClient
import KubeCore
import KubeRuntime

/// What the reconciler works with: the client, the owned informers' caches, the recorded live hashes and
/// the event recorder.
public struct PlatformContext: Sendable {
    /// The field manager of every apply and the Events' component: `incident-operator`.
    public static let fieldManager = "incident-operator"
    /// The finalizer that guards cleanup of what garbage collection cannot delete.
    public static let finalizerName = "incidentops.io/cleanup"

    /// The API client.
    public let client: KubeClient
    /// The owned informers by kind (see ``OperatorPermissions/ownedKinds``).
    public let children: [String: Informer]
    /// Live hashes recorded after the last applies.
    public let hashes: AppliedHashes
    /// Where Events go.
    public let events: EventRecorder
    /// Adds and removes ``finalizerName`` around the reconcile.
    public let finalizer: Finalizer
    /// Spaces out status writes that only report rollout progress.
    public let statusThrottle: StatusThrottle

    /// A context.
    public init(client: KubeClient, children: [String: Informer], hashes: AppliedHashes, events: EventRecorder,
                statusThrottle: StatusThrottle = StatusThrottle()) {
        self.statusThrottle = statusThrottle
        self.finalizer = Finalizer(name: Self.finalizerName, resource: .incidentPlatforms, client: client)
        self.client = client
        self.children = children
        self.hashes = hashes
        self.events = events
    }

    /// The cached (projected) live object for a desired one, if any.
    func live(_ desired: JSONValue) -> JSONValue? {
        guard let kind = desired.kind, let name = desired.name else { return nil }
        return children[kind]?.store.get(namespace: desired.namespace, name: name)
    }

    /// The cached children that may belong to the platform `platform` in `namespace`: the namespaced ones of that
    /// namespace and the cluster-scoped ones labelled as managed by the operator for an instance named `platform`
    /// (a superset of what ``PruneSet/belongs(_:platform:namespace:uid:)`` accepts). Read through the stores'
    /// ``ownerIndex(_:)``, so a reconcile touches its own children, not every cached child of every platform.
    func children(of platform: String, in namespace: String) -> [JSONValue] {
        OperatorPermissions.ownedKinds.flatMap { kind -> [JSONValue] in
            guard let store = children[kind.kind]?.store else { return [] }
            let value = kind.namespaced ? Store.key(namespace: namespace, name: platform) : platform
            if store.isIndexed { return store.list(indexedAs: value) }
            return (kind.namespaced ? store.list(namespace: namespace) : store.list()).filter { Self.ownerIndex($0) == value }
        }
    }

    /// The index value of an owned child in the children's stores: `namespace/instance` for a namespaced child,
    /// `instance` for a cluster-scoped one (the `app.kubernetes.io/instance` label); nil for an object without
    /// the operator's managed-by label or without an instance label.
    @Sendable
    public static func ownerIndex(_ object: JSONValue) -> String? {
        guard let labels = object["metadata", "labels"],
              labels[PruneSet.managedByLabel]?.stringValue == PruneSet.managedByValue,
              let instance = labels[PruneSet.instanceLabel]?.stringValue
        else { return nil }
        return Store.key(namespace: object.namespace, name: instance)
    }
}
