import KubeClient
import KubeCore
import KubeRuntime

/// Lists and watches one kind through a ``KubeClient`` for an ``Informer``: scoped to a namespace (nil: all)
/// and a label selector; an expired resourceVersion surfaces as ``ResourceExpiredError`` so the informer relists.
///
/// (An adapter the runtime does not provide yet; it belongs next to `ListWatchSource` once it does.)
public struct KubeClientListWatch: ListWatchSource {
    let client: KubeClient
    let resource: ResourceDescriptor
    let namespace: String?
    let labelSelector: String?

    /// A source for `resource` in `namespace` (nil: all namespaces) matching `labelSelector`.
    public init(client: KubeClient, resource: ResourceDescriptor, namespace: String?, labelSelector: String? = nil) {
        self.client = client
        self.resource = resource
        self.namespace = resource.namespaced ? namespace : nil
        self.labelSelector = labelSelector
    }

    public func list(limit: Int, continueToken: String?) async throws -> ListPage {
        do {
            let page = try await client.list(resource, namespace: namespace,
                                             options: ListOptions(labelSelector: labelSelector, limit: limit, continueToken: continueToken))
            return ListPage(items: page.items, resourceVersion: page.resourceVersion, continueToken: page.continueToken)
        } catch let error as KubeClientError where error.isGone {
            throw ResourceExpiredError(error.status?.message ?? "\(error)")
        }
    }

    public func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<KubeRuntime.WatchEvent, any Error> {
        let upstream = client.watch(resource, namespace: namespace, options: WatchOptions(
            labelSelector: labelSelector, resourceVersion: resourceVersion, allowBookmarks: true, timeoutSeconds: timeoutSeconds))
        let iterator = IteratorBox(upstream.makeAsyncIterator())
        return AsyncThrowingStream(unfolding: {
            do {
                guard let event = try await iterator.next() else { return nil }
                switch event {
                case .added(let o): return .added(o)
                case .modified(let o): return .modified(o)
                case .deleted(let o): return .deleted(o)
                case .bookmark(let rv): return .bookmark(resourceVersion: rv)
                }
            } catch let error as KubeClientError where error.isGone {
                throw ResourceExpiredError(error.status?.message ?? "\(error)")
            }
        })
    }
}

/// Holds a watch iterator for the unfolding stream (only ever advanced by the one consumer).
private final class IteratorBox: @unchecked Sendable {
    // @unchecked: AsyncThrowingStream's consumer calls `next` serially, never concurrently.
    private var iterator: AsyncThrowingStream<ClientWatchEvent, any Error>.AsyncIterator
    init(_ iterator: AsyncThrowingStream<ClientWatchEvent, any Error>.AsyncIterator) { self.iterator = iterator }
    func next() async throws -> ClientWatchEvent? { try await iterator.next() }
}
