import Foundation
import KubeClient
import KubeCore
import KubeRuntime

/// What the reconciler works with: the client, the owned informers' caches, the recorded live hashes and
/// the event recorder.
public struct PlatformContext: Sendable {
    /// The field manager of every apply: `incident-operator`.
    public static let fieldManager = "incident-operator"

    /// The API client.
    public let client: KubeClient
    /// The owned informers by kind (see ``OperatorPermissions/ownedKinds``).
    public let children: [String: Informer]
    /// Live hashes recorded after the last applies.
    public let hashes: AppliedHashes
    /// Where Events go.
    public let events: EventRecorder

    /// A context.
    public init(client: KubeClient, children: [String: Informer], hashes: AppliedHashes, events: EventRecorder) {
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
