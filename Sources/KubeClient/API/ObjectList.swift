import KubeCore

/// One page of a list call.
public struct ObjectList: Sendable, Equatable {
    /// The objects (each with `apiVersion` and `kind` filled in, which list items lack on the wire).
    public var items: [JSONValue]
    /// `metadata.resourceVersion` of the list: watch from here.
    public var resourceVersion: String
    /// `metadata.continue`: pass as ``ListOptions/continueToken`` for the next page; `nil` on the last page.
    public var continueToken: String?

    public init(items: [JSONValue], resourceVersion: String, continueToken: String? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}
