/// Shorthands for the `apiVersion`, `kind` and `metadata` of an unstructured Kubernetes object.
extension JSONValue {
    /// `apiVersion`.
    public var apiVersion: String? { self["apiVersion"]?.stringValue }
    /// `kind`.
    public var kind: String? { self["kind"]?.stringValue }
    /// `metadata.name`.
    public var name: String? { self["metadata", "name"]?.stringValue }
    /// `metadata.namespace`.
    public var namespace: String? { self["metadata", "namespace"]?.stringValue }
    /// `metadata.uid`.
    public var uid: String? { self["metadata", "uid"]?.stringValue }
    /// `metadata.resourceVersion`.
    public var resourceVersion: String? { self["metadata", "resourceVersion"]?.stringValue }
    /// `metadata.generation`.
    public var generation: Int? { self["metadata", "generation"]?.intValue }
    /// `metadata.deletionTimestamp`, set once deletion has begun.
    public var deletionTimestamp: String? { self["metadata", "deletionTimestamp"]?.stringValue }
    /// `metadata.labels` (only the string values).
    public var labels: [String: String] { Self.stringMap(self["metadata", "labels"]) }
    /// `metadata.annotations` (only the string values).
    public var annotations: [String: String] { Self.stringMap(self["metadata", "annotations"]) }
    /// `metadata.finalizers`.
    public var finalizers: [String] { self["metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// `namespace/name`, or `name` for a cluster-scoped object: the key of work queues and caches.
    public var objectKey: String {
        let n = name ?? ""
        if let ns = namespace, !ns.isEmpty { return "\(ns)/\(n)" }
        return n
    }

    private static func stringMap(_ v: JSONValue?) -> [String: String] {
        guard let o = v?.objectValue else { return [:] }
        var m: [String: String] = [:]
        for (k, v) in o { if let s = v.stringValue { m[k] = s } }
        return m
    }
}
