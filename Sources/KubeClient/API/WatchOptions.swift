/// Query parameters of a watch call.
public struct WatchOptions: Sendable, Equatable {
    /// `labelSelector`.
    public var labelSelector: String?
    /// `fieldSelector`.
    public var fieldSelector: String?
    /// Start after this version (from a list or the last event); `nil` starts with synthetic ADDED events
    /// for every existing object.
    public var resourceVersion: String?
    /// Ask for BOOKMARK events (`allowWatchBookmarks=true`).
    public var allowBookmarks: Bool
    /// Ask the server to end the watch after this many seconds (`timeoutSeconds`).
    public var timeoutSeconds: Int?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
                allowBookmarks: Bool = true, timeoutSeconds: Int? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowBookmarks = allowBookmarks
        self.timeoutSeconds = timeoutSeconds
    }

    var queryItems: [(String, String)] {
        var q: [(String, String)] = [("watch", "1")]
        if let resourceVersion { q.append(("resourceVersion", resourceVersion)) }
        if allowBookmarks { q.append(("allowWatchBookmarks", "true")) }
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        if let timeoutSeconds { q.append(("timeoutSeconds", String(timeoutSeconds))) }
        return q
    }
}
