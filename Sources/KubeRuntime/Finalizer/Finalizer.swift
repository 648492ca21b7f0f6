import KubeClient
import KubeCore

/// The add/remove dance of a finalizer around a reconcile, like kube-rs's `finalizer()`.
///
/// ```swift
/// let cleanup = Finalizer(name: "incidentops.io/cleanup", resource: .incidentPlatforms, client: client)
/// return try await cleanup.reconcile(platform) { event in
///     switch event {
///     case .apply(let p): return try await converge(p)
///     case .cleanup(let p): try await deleteClusterScopedChildren(p); return .awaitChange
///     }
/// }
/// ```
///
/// Guarantees:
/// - The finalizer is added (and nothing else done) before the first `.apply`, so cleanup always runs
///   for anything `.apply` created. Adding it returns `.awaitChange`: the write wakes the controller again.
/// - Removal is a JSON patch that first tests that the entry at that index is still this finalizer, so it
///   never removes someone else's finalizer; adding tests the list (or the resourceVersion) it read.
///   A failed test is an error (retried with backoff).
/// - `.cleanup` runs until it returns without throwing; only then is the finalizer removed. An object already gone
///   (a stale cache that still shows it being deleted) is not an error: its finalizer is gone with it.
///
/// Caveats:
/// - `.cleanup` may run more than once (a crash between the cleanup and the removal): make it idempotent.
/// - An object deleted without the finalizer (e.g. before the first reconcile) gets no `.cleanup`.
public struct Finalizer: Sendable {
    /// The finalizer, e.g. `incidentops.io/cleanup`.
    public let name: String
    /// The kind of the objects it guards.
    public let resource: ResourceDescriptor
    private let client: KubeClient

    /// A finalizer `name` on objects of `resource`, written through `client`.
    public init(name: String, resource: ResourceDescriptor, client: KubeClient) {
        self.name = name
        self.resource = resource
        self.client = client
    }

    /// Adds or removes the finalizer around `body`; see the type's guarantees.
    public func reconcile(_ object: JSONValue, _ body: (FinalizerEvent) async throws -> Action) async throws -> Action {
        let finalizers = object.finalizers
        let objectName = object.name ?? ""
        if object.deletionTimestamp == nil {
            if finalizers.contains(name) { return try await body(.apply(object)) }
            _ = try await client.patch(resource, name: objectName, namespace: object.namespace, .json(Self.addPatch(name, to: object)))
            return .awaitChange
        }
        guard let index = finalizers.firstIndex(of: name) else { return .awaitChange }
        let action = try await body(.cleanup(object))
        do {
            _ = try await client.patch(resource, name: objectName, namespace: object.namespace, .json(Self.removePatch(name, at: index)))
        } catch let error as KubeClientError where error.isNotFound {
            return .awaitChange  // removed already (the cache had not seen the deletion): nothing left to do
        }
        return action
    }

    /// JSON patch adding `finalizer`: tests the list as read (or the resourceVersion when there is none).
    static func addPatch(_ finalizer: String, to object: JSONValue) -> [JSONValue] {
        if let current = object["metadata", "finalizers"], case .array = current {
            return [
                ["op": "test", "path": "/metadata/finalizers", "value": current],
                ["op": "add", "path": "/metadata/finalizers/-", "value": .string(finalizer)],
            ]
        }
        var ops: [JSONValue] = []
        if let rv = object.resourceVersion {
            ops.append(["op": "test", "path": "/metadata/resourceVersion", "value": .string(rv)])
        }
        ops.append(["op": "add", "path": "/metadata/finalizers", "value": [.string(finalizer)]])
        return ops
    }

    /// JSON patch removing the entry at `index` only if it is still `finalizer`.
    static func removePatch(_ finalizer: String, at index: Int) -> [JSONValue] {
        [
            ["op": "test", "path": .string("/metadata/finalizers/\(index)"), "value": .string(finalizer)],
            ["op": "remove", "path": .string("/metadata/finalizers/\(index)")],
        ]
    }
}
