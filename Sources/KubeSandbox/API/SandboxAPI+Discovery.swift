import HTTPServer
import KubeCore

extension SandboxAPI {
    /// The Kubernetes version the sandbox reports.
    static let versionInfo: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-sandbox", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
        "platform": "linux/amd64",
    ]

    /// `/version`, `/api`, `/apis`, `/api/v1`, `/apis/<group>` and `/apis/<group>/<version>`; nil for other paths.
    /// Answers the legacy (non-aggregated) JSON forms, which every client accepts.
    func discovery(_ request: HTTPRequest) -> HTTPResponse? {
        guard request.method == "GET" else { return nil }
        let segments = request.path.split(separator: "/").map(String.init)
        let response: HTTPResponse?
        switch segments.count {
        case 1 where segments[0] == "version": response = Self.json(200, Self.versionInfo)
        case 1 where segments[0] == "api":
            response = Self.json(200, [
                "kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string("\(options.host):\(options.port)")]],
            ])
        case 1 where segments[0] == "apis":
            response = Self.json(200, ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(registry.groups().map(Self.apiGroup))])
        case 2 where segments[0] == "api" && segments[1] == "v1":
            response = resourceList(group: "", version: "v1")
        case 2 where segments[0] == "apis":
            guard let g = registry.groups().first(where: { $0.name == segments[1] }) else { return nil }
            var group = Self.apiGroup(g)
            group["kind"] = "APIGroup"
            group["apiVersion"] = "v1"
            response = Self.json(200, group)
        case 3 where segments[0] == "apis" && registry.serves(group: segments[1], version: segments[2]):
            response = resourceList(group: segments[1], version: segments[2])
        default: response = nil
        }
        if let response { metrics.record(verb: "GET", group: "", resource: "discovery", subresource: "", code: response.status) }
        return response
    }

    private static func apiGroup(_ g: (name: String, versions: [String])) -> JSONValue {
        let versions: [JSONValue] = g.versions.map { ["groupVersion": .string("\(g.name)/\($0)"), "version": .string($0)] }
        return ["name": .string(g.name), "versions": .array(versions), "preferredVersion": versions.first ?? .null]
    }

    private func resourceList(group: String, version: String) -> HTTPResponse {
        let types = registry.all.filter { $0.descriptor.group == group && $0.descriptor.version == version }
        return Self.json(200, [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(types.flatMap(\.discoveryEntries)),
        ])
    }
}
