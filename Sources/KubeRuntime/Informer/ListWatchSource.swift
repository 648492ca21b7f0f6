import KubeCore

/// One page of a list call: the items, the list's `resourceVersion` and the `continue` token of the next
/// page (nil or empty on the last page).
public struct ListPage: Sendable {
    /// The objects of this page.
    public var items: [JSONValue]
    /// `metadata.resourceVersion` of the list: watch from here.
    public var resourceVersion: String
    /// `metadata.continue`: pass it to get the next page.
    public var continueToken: String?

    /// A page.
    public init(items: [JSONValue], resourceVersion: String, continueToken: String? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

/// One event of a watch stream.
public enum WatchEvent: Sendable, Hashable {
    case added(JSONValue)
    case modified(JSONValue)
    case deleted(JSONValue)
    /// The server has sent every event up to `resourceVersion` (no object).
    case bookmark(resourceVersion: String)
}

/// The resourceVersion asked for is older than the server keeps (HTTP 410 Gone, or a watch `ERROR` event
/// with code 410): the informer lists again.
public struct ResourceExpiredError: Error, Sendable, CustomStringConvertible {
    /// The server's message.
    public var message: String
    /// An expired error with the server's message.
    public init(_ message: String = "too old resource version") { self.message = message }
    public var description: String { "resource version expired (410): \(message)" }

    /// Whether `error` means "expired": this type, or an API `Status` with code 410.
    public static func matches(_ error: any Error) -> Bool {
        if error is ResourceExpiredError { return true }
        if let status = error as? APIStatus { return status.code == 410 }
        return false
    }
}

/// What an ``Informer`` needs from the API: list (paged) and watch one kind, already scoped to a namespace
/// and label selector. The KubeClient adapter implements it; tests use an in-memory fake.
public protocol ListWatchSource: Sendable {
    /// Lists up to `limit` objects from `continueToken` (nil for the first page).
    func list(limit: Int, continueToken: String?) async throws -> ListPage
    /// Watches from `resourceVersion` with bookmarks on; the server ends the stream after `timeoutSeconds`.
    /// The stream throws ``ResourceExpiredError`` (or an `APIStatus` with code 410) when the version expired.
    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error>
}
