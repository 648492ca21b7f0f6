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

    /// Every cached child of every owned kind.
    func allChildren() -> [JSONValue] {
        OperatorPermissions.ownedKinds.flatMap { children[$0.kind]?.store.list() ?? [] }
    }
}
