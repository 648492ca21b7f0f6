import HTTPServer
import KubeCore

extension SandboxAPI {
    /// `/openapi/v3` (an index of group versions) and `/openapi/v3/<api/v1|apis/g/v>`: for each kind, the paths
    /// with the operations kubectl inspects (the `patch` operation with `x-kubernetes-group-version-kind` and the
    /// `fieldValidation` parameter, so that `--validate=strict` sends `fieldValidation=Strict`), and, for custom
    /// resources, the CRD's schema under `components.schemas`.
    func openAPI(_ request: HTTPRequest) -> HTTPResponse {
        let rest = request.path.dropFirst("/openapi/v3".count).trimmingCharacters(in: .init(charactersIn: "/"))
        let groupVersions = Set(registry.all.map { gvPath($0.descriptor) }).sorted()
        let response: HTTPResponse
        if rest.isEmpty {
            var paths: [String: JSONValue] = [:]
            for gv in groupVersions { paths[gv] = ["serverRelativeURL": .string("/openapi/v3/\(gv)?hash=\(hash(of: document(for: gv)))")] }
            response = Self.json(200, ["paths": .object(paths)])
        } else if groupVersions.contains(rest) {
            response = Self.json(200, document(for: rest))
        } else {
            response = Self.status(APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource"))
        }
        metrics.record(verb: "GET", group: "", resource: "openapi", subresource: "", code: response.status)
        return response
    }

    private func gvPath(_ d: ResourceDescriptor) -> String { d.group.isEmpty ? "api/\(d.version)" : "apis/\(d.group)/\(d.version)" }

    private func hash(of document: JSONValue) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in document.jsonBytes() { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16, uppercase: true)
    }

    private func document(for gv: String) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [:]
        for t in registry.all where gvPath(t.descriptor) == gv {
            let d = t.descriptor
            let gvk: JSONValue = ["group": .string(d.group), "version": .string(d.version), "kind": .string(d.kind)]
            let schemaName = Self.schemaName(d)
            let ref: JSONValue = ["$ref": .string("#/components/schemas/\(schemaName)")]
            let ok: JSONValue = ["200": ["description": "OK", "content": ["application/json": ["schema": ref]]]]
            let nsPart = d.namespaced ? "/namespaces/{namespace}" : ""
            let base = "/\(gv)\(nsPart)/\(d.plural)"
            func op(_ action: String, _ params: [String]) -> JSONValue {
                [
                    "operationId": .string("\(action)\(d.kind)"), "x-kubernetes-action": .string(action),
                    "x-kubernetes-group-version-kind": gvk,
                    "parameters": .array(params.map { ["name": .string($0), "in": "query", "schema": ["type": "string", "uniqueItems": true]] }),
                    "responses": ok,
                ]
            }
            let writeParams = ["dryRun", "fieldManager", "fieldValidation"]
            var patchOp = op("patch", writeParams + ["force"])
            patchOp["requestBody"] = ["content": .object(Dictionary(uniqueKeysWithValues: [
                "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json",
            ].map { ($0, ["schema": ["type": "object"]] as JSONValue) }))]
            paths[base] = ["get": op("list", ["labelSelector", "fieldSelector", "limit", "continue", "watch", "resourceVersion"]),
                           "post": op("post", writeParams), "delete": op("deletecollection", ["labelSelector", "fieldSelector"])]
            paths["\(base)/{name}"] = ["get": op("get", []), "put": op("put", writeParams), "patch": patchOp, "delete": op("delete", ["dryRun"])]
            if t.hasStatus {
                paths["\(base)/{name}/status"] = ["get": op("get", []), "put": op("put", writeParams), "patch": patchOp]
            }
            if t.isCustom, var schema = t.schema {
                schema["x-kubernetes-group-version-kind"] = [gvk]
                schemas[schemaName] = schema
            }
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .object(paths), "components": ["schemas": .object(schemas)],
        ]
    }

    /// `io.k8s.api.apps.v1.Deployment`-style names; for custom resources the reversed group (`io.incidentops.v1alpha1.IncidentPlatform`).
    static func schemaName(_ d: ResourceDescriptor) -> String {
        let group = d.group.isEmpty ? "core" : d.group
        return "\(group.split(separator: ".").reversed().joined(separator: ".")).\(d.version).\(d.kind)"
    }
}
