import KubeClient
import KubeCore

/// An ``Informer`` source over a `KubeClient`: paged lists and bookmark-enabled watches of one kind,
/// scoped to a namespace (nil: all namespaces) and label/field selectors.
///
/// ```swift
/// let source = KubeListWatchSource(client: client, resource: .deployments,
///                                  labelSelector: "app.kubernetes.io/managed-by=incident-operator")
/// let deployments = Informer(resource: .deployments, source: source, projection: .summary(keeping: [...]))
/// ```
public struct KubeListWatchSource: ListWatchSource {
    /// The client.
    public let client: KubeClient
    /// The kind.
    public let resource: ResourceDescriptor
    /// The namespace watched (nil: all namespaces; ignored for cluster-scoped kinds).
    public let namespace: String?
    /// `labelSelector` of every list and watch.
    public let labelSelector: String?
    /// `fieldSelector` of every list and watch.
    public let fieldSelector: String?

    /// A source for `resource` through `client`.
    public init(client: KubeClient, resource: ResourceDescriptor, namespace: String? = nil,
                labelSelector: String? = nil, fieldSelector: String? = nil) {
        self.client = client
        self.resource = resource
        self.namespace = resource.namespaced ? namespace : nil
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    /// Lists one page through the client (`limit`, `continue`, the selectors).
    public func list(limit: Int, continueToken: String?) async throws -> ObjectList {
        try await client.list(resource, namespace: namespace, options: ListOptions(
            labelSelector: labelSelector, fieldSelector: fieldSelector, limit: limit, continueToken: continueToken))
    }

    /// Watches through the client from `resourceVersion` with bookmarks and the server-side timeout.
    public func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        client.watch(resource, namespace: namespace, options: WatchOptions(
            labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: resourceVersion,
            allowBookmarks: true, timeoutSeconds: timeoutSeconds))
    }
}
