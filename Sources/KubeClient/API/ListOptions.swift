/// Query parameters of a list call.
public struct ListOptions: Sendable, Equatable {
    /// `labelSelector`, e.g. `app=web,tier in (a,b)`.
    public var labelSelector: String?
    /// `fieldSelector`, e.g. `metadata.name=web`.
    public var fieldSelector: String?
    /// `limit`: page size.
    public var limit: Int?
    /// `continue`: the token of the next page.
    public var continueToken: String?
    /// `resourceVersion` to read at (`0` allows a cached answer).
    public var resourceVersion: String?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continueToken: String? = nil, resourceVersion: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
    }

    var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        if let limit { q.append(("limit", String(limit))) }
        if let continueToken { q.append(("continue", continueToken)) }
        if let resourceVersion { q.append(("resourceVersion", resourceVersion)) }
        return q
    }
}
