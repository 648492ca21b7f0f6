import KubeCore

/// JSON patches that add or remove one finalizer without ever touching another's: each patch first tests
/// that the list (or, when there is none, the resourceVersion) is what was read, so a concurrent change makes
/// the patch fail (422) instead of overwriting it, and the reconcile retries on fresh data.
public enum FinalizerPatch {
    /// The operator's finalizer.
    public static let name = "incidentops.io/cleanup"

    /// The patch adding `finalizer` to `object`, nil if it is there already.
    public static func adding(_ finalizer: String = name, to object: JSONValue) -> [JSONValue]? {
        let current = object.finalizers
        guard !current.contains(finalizer) else { return nil }
        guard object["metadata", "finalizers"] != nil else {
            return [
                ["op": "test", "path": "/metadata/resourceVersion", "value": .string(object.resourceVersion ?? "")],
                ["op": "add", "path": "/metadata/finalizers", "value": [.string(finalizer)]],
            ]
        }
        return [
            ["op": "test", "path": "/metadata/finalizers", "value": .array(current.map(JSONValue.string))],
            ["op": "add", "path": "/metadata/finalizers/-", "value": .string(finalizer)],
        ]
    }

    /// The patch removing `finalizer` (only it) from `object`, nil if it is not there.
    public static func removing(_ finalizer: String = name, from object: JSONValue) -> [JSONValue]? {
        let current = object.finalizers
        guard current.contains(finalizer) else { return nil }
        return [
            ["op": "test", "path": "/metadata/finalizers", "value": .array(current.map(JSONValue.string))],
            ["op": "replace", "path": "/metadata/finalizers", "value": .array(current.filter { $0 != finalizer }.map(JSONValue.string))],
        ]
    }
}
