import HTTPServer
import KubeCore

/// A request for a resource, decoded from its path: `/apis/apps/v1/namespaces/ops/deployments/web/status`.
struct APIRequestInfo: Sendable {
    var type: ResourceType
    var namespace: String?
    var name: String?
    var subresource: String?
    /// The Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection.
    var verb: String
    var query: [String: String]

    /// The metrics verb as the real API server labels it (`LIST`, `WATCH`, `APPLY`, ...).
    func metricsVerb(contentType: String?) -> String {
        if verb == "patch", contentType?.hasPrefix("application/apply-patch") == true { return "APPLY" }
        switch verb {
        case "create": return "POST"
        case "update": return "PUT"
        default: return verb.uppercased()
        }
    }

    var isWrite: Bool { !["get", "list", "watch"].contains(verb) }

    /// Decodes a path under `/api` or `/apis`; nil when it is not a resource path (discovery or unknown).
    /// - Throws: `APIStatus` 404 for an unknown resource of a served group version, 405 for a bad method.
    static func parse(_ request: HTTPRequest, registry: ResourceRegistry) throws -> APIRequestInfo? {
        var segments = request.path.split(separator: "/").map(String.init)
        let group: String
        if segments.first == "api" {
            guard segments.count >= 3 else { return nil }
            group = ""
            segments.removeFirst()
        } else if segments.first == "apis" {
            guard segments.count >= 4 else { return nil }
            group = segments[1]
            segments.removeFirst(2)
        } else {
            return nil
        }
        let version = segments.removeFirst()
        var watchPrefix = false
        if segments.first == "watch" {
            watchPrefix = true
            segments.removeFirst()
        }
        var namespace: String?
        if segments.count >= 3, segments[0] == "namespaces",
           registry.lookup(group: group, version: version, plural: segments[2])?.descriptor.namespaced == true {
            namespace = segments[1]
            segments.removeFirst(2)
        }
        guard let plural = segments.first, let type = registry.lookup(group: group, version: version, plural: plural) else {
            throw APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource",
                            details: ["causes": [["reason": "UnexpectedServerResponse", "message": "404 page not found"]]])
        }
        let name = segments.count > 1 ? segments[1] : nil
        let subresource = segments.count > 2 ? segments[2] : nil
        guard segments.count <= 3 else { throw APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource") }
        if let subresource, !(subresource == "status" && type.hasStatus), !(subresource == "scale" && type.hasScale) {
            throw APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource (subresource \(subresource) of \(type.descriptor.qualifiedName))")
        }
        let query = request.query
        let watching = watchPrefix || ["1", "true"].contains(query["watch"] ?? "")
        let verb: String
        switch (request.method, name != nil) {
        case ("GET", false): verb = watching ? "watch" : "list"
        case ("GET", true): verb = watching ? "watch" : "get"
        case ("HEAD", true): verb = "get"
        case ("POST", false): verb = "create"
        case ("PUT", true): verb = "update"
        case ("PATCH", true): verb = "patch"
        case ("DELETE", true): verb = "delete"
        case ("DELETE", false): verb = "deletecollection"
        default:
            throw APIStatus(code: 405, reason: .methodNotAllowed, message: "the server does not allow this method on the requested resource")
        }
        if type.descriptor.namespaced && namespace == nil && ["create", "deletecollection"].contains(verb) {
            // Namespaced kinds are created and collection-deleted only under /namespaces/<ns>/.
            throw APIStatus(code: 405, reason: .methodNotAllowed, message: "the server does not allow this method on the requested resource")
        }
        return APIRequestInfo(type: type, namespace: type.descriptor.namespaced ? namespace : nil, name: name,
                              subresource: subresource, verb: verb, query: query)
    }
}
