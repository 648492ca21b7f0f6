import KubeClient
import KubeCore

/// What an ``Informer`` needs from the API: list (paged) and watch one kind, already scoped to a namespace
/// and label selector. ``KubeListWatchSource`` implements it with a `KubeClient`; tests use an in-memory fake.
/// Pages and events are KubeClient's `ObjectList` and `WatchEvent`.
public protocol ListWatchSource: Sendable {
    /// Lists up to `limit` objects from `continueToken` (nil for the first page).
    func list(limit: Int, continueToken: String?) async throws -> ObjectList
    /// Watches from `resourceVersion` with bookmarks on; the server ends the stream after `timeoutSeconds`.
    /// The stream throws ``ResourceExpiredError`` (or an `APIStatus` with code 410) when the version expired.
    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error>
}
