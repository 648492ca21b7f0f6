import KubeCore

/// A patch and its flavour. The body is sent as given: no `null` is ever added (in a merge patch, a `null`
/// the caller wrote deliberately deletes the field).
public enum Patch: Sendable, Equatable {
    /// RFC 7386 JSON merge patch (`application/merge-patch+json`).
    case merge(JSONValue)
    /// RFC 6902 JSON patch, a list of operations (`application/json-patch+json`).
    case json([JSONValue])
    /// Kubernetes strategic merge patch, built-in kinds only (`application/strategic-merge-patch+json`).
    case strategic(JSONValue)

    var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .json: return "application/json-patch+json"
        case .strategic: return "application/strategic-merge-patch+json"
        }
    }

    var body: JSONValue {
        switch self {
        case .merge(let v), .strategic(let v): return v
        case .json(let ops): return .array(ops)
        }
    }
}
