import HTTPServer
import KubeCore

extension SandboxAPI {
    /// `/scale` of Deployments, StatefulSets and ReplicaSets: an `autoscaling/v1` Scale over `spec.replicas`
    /// (GET, PUT, merge/JSON/strategic PATCH), as `kubectl scale` and HPA controllers use it.
    func scale(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        let name = info.name ?? ""
        let manager = info.query["fieldManager"] ?? Self.defaultManager(request)
        let result = try store.sync { () -> JSONValue in
            guard let existing = store.get(info.type.storeKey, namespace: info.namespace, name: name) else { throw notFound(info, name) }
            let current = Self.scaleObject(of: existing)
            let desired: JSONValue
            switch info.verb {
            case "get": return current
            case "update": desired = try Self.decodeBody(request)
            case "patch":
                let patch = try Self.decodeBody(request)
                switch request.header("Content-Type")?.split(separator: ";").first.map(String.init) {
                case "application/json-patch+json": desired = try JSONPatch.apply(patch, to: current)
                case "application/merge-patch+json", "application/strategic-merge-patch+json": desired = MergePatch.apply(patch, to: current)
                default:
                    throw APIStatus(code: 415, reason: .unsupportedMediaType,
                                    message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json")
                }
            default:
                throw APIStatus(code: 405, reason: .methodNotAllowed, message: "the server does not allow this method on the requested resource")
            }
            if let rv = desired.resourceVersion, !rv.isEmpty, rv != existing.resourceVersion {
                throw APIStatus.conflict(resource: info.type.descriptor.plural, name: name, group: info.type.descriptor.group)
            }
            guard let replicas = desired["spec", "replicas"]?.intValue, replicas >= 0 else {
                throw APIStatus.invalid(kind: "Scale", name: name, group: "autoscaling", causes: [("spec.replicas", "Invalid value: must be greater than or equal to 0")])
            }
            var updated = existing
            updated["spec", "replicas"] = .int(replicas)
            var main = info
            main.subresource = nil
            let stored = try updateLocked(main, existing: existing, new: updated, manager: manager, dryRun: isDryRun(info))
            return Self.scaleObject(of: stored)
        }
        return Self.json(200, result)
    }

    static func scaleObject(of o: JSONValue) -> JSONValue {
        var meta: JSONValue = [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { meta[key] = o["metadata", key] }
        let selector = (try? LabelSelector(selectorJSON: o["spec", "selector"] ?? [:]))?.description ?? ""
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": meta,
            "spec": ["replicas": o["spec", "replicas"] ?? 0],
            "status": ["replicas": o["status", "replicas"] ?? 0, "selector": .string(selector)],
        ]
    }
}
