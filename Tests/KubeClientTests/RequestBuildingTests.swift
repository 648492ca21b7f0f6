import Foundation
import KubeCore
import Testing
@testable import KubeClient

@Suite("request building")
struct RequestBuildingTests {
    let configuration = ClientConfiguration(server: "https://api.example:6443/", namespace: "ops", authentication: .bearerToken("t0ken"))

    func client(_ transport: RecordingTransport) -> KubeClient {
        KubeClient(configuration: configuration, transport: transport, logger: .silent)
    }

    func body(_ request: TransportRequest) throws -> JSONValue {
        try JSONValue(jsonBytes: try #require(request.body))
    }

    @Test func getUsesTheDefaultNamespaceAndHeaders() async throws {
        let transport = RecordingTransport()
        _ = try await client(transport).get(.deployments, name: "web")
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.url == "https://api.example:6443/apis/apps/v1/namespaces/ops/deployments/web")
        #expect(request.header("Authorization") == "Bearer t0ken")
        #expect(request.header("Accept") == "application/json")
        #expect(request.body == nil)
    }

    @Test func listEscapesSelectorsAndPaginates() async throws {
        let page1 = TransportResponse(status: 200, body: Array(#"{"kind":"ConfigMapList","metadata":{"resourceVersion":"10","continue":"tok en/1"},"items":[{"metadata":{"name":"a"}}]}"#.utf8))
        let page2 = TransportResponse(status: 200, body: Array(#"{"kind":"ConfigMapList","metadata":{"resourceVersion":"10"},"items":[{"metadata":{"name":"b"}}]}"#.utf8))
        let transport = RecordingTransport(responses: [page1, page2])
        let all = try await client(transport).listAll(.configMaps, namespace: "ops",
                                                       options: ListOptions(labelSelector: "app=web,tier in (a,b)", fieldSelector: "metadata.name!=x", limit: 1))
        #expect(all.items.map(\.name) == ["a", "b"])
        #expect(all.items.allSatisfy { $0.apiVersion == "v1" && $0.kind == "ConfigMap" })
        #expect(all.resourceVersion == "10")
        let urls = transport.requests.map(\.url)
        #expect(urls == [
            "https://api.example:6443/api/v1/namespaces/ops/configmaps?labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29&fieldSelector=metadata.name%21%3Dx&limit=1",
            "https://api.example:6443/api/v1/namespaces/ops/configmaps?labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29&fieldSelector=metadata.name%21%3Dx&limit=1&continue=tok%20en%2F1",
        ])
    }

    @Test func listWithoutNamespaceCoversAllNamespacesAndClusterScopedIgnoresIt() async throws {
        let list = TransportResponse(status: 200, body: Array(#"{"metadata":{"resourceVersion":"1"},"items":[]}"#.utf8))
        let transport = RecordingTransport(responses: [list, list])
        let c = client(transport)
        _ = try await c.list(.configMaps)
        _ = try await c.get(.namespaces, name: "ops", namespace: "ignored")
        #expect(transport.requests.map(\.url) == ["https://api.example:6443/api/v1/configmaps", "https://api.example:6443/api/v1/namespaces/ops"])
    }

    @Test func createUsesTheObjectsNamespaceAndFillsTypeMeta() async throws {
        let transport = RecordingTransport()
        let object: JSONValue = ["metadata": ["name": "cm", "namespace": "team"], "data": ["k": "v"]]
        _ = try await client(transport).create(.configMaps, object, options: WriteOptions(fieldManager: "op", dryRun: true))
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "https://api.example:6443/api/v1/namespaces/team/configmaps?fieldManager=op&dryRun=All")
        #expect(request.header("Content-Type") == "application/json")
        #expect(try body(request) == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm", "namespace": "team"], "data": ["k": "v"]])
    }

    @Test func updateAndStatusUpdatePutToTheRightPaths() async throws {
        let transport = RecordingTransport()
        let c = client(transport)
        let object: JSONValue = ["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform", "metadata": ["name": "p", "resourceVersion": "5"]]
        _ = try await c.update(.incidentPlatforms, object)
        _ = try await c.updateStatus(.incidentPlatforms, object)
        #expect(transport.requests.map(\.method) == ["PUT", "PUT"])
        #expect(transport.requests.map(\.url) == [
            "https://api.example:6443/apis/incidentops.io/v1alpha1/namespaces/ops/incidentplatforms/p",
            "https://api.example:6443/apis/incidentops.io/v1alpha1/namespaces/ops/incidentplatforms/p/status",
        ])
        #expect(try body(transport.requests[0]) == object)
    }

    @Test func deleteSendsOnlyTheOptionsThatAreSet() async throws {
        let transport = RecordingTransport()
        let c = client(transport)
        try await c.delete(.deployments, name: "web", options: DeleteOptions(propagationPolicy: .foreground, preconditionUID: "u-1"))
        try await c.delete(.deployments, name: "web")
        #expect(transport.requests[0].method == "DELETE")
        #expect(try body(transport.requests[0]) == ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground", "preconditions": ["uid": "u-1"]])
        #expect(try body(transport.requests[1]) == ["kind": "DeleteOptions", "apiVersion": "v1"])
    }

    @Test(arguments: [
        (Patch.merge(["metadata": ["labels": ["a": nil]]]), "application/merge-patch+json"),
        (Patch.json([["op": "remove", "path": "/metadata/labels/a"]]), "application/json-patch+json"),
        (Patch.strategic(["spec": ["replicas": 2]]), "application/strategic-merge-patch+json"),
    ])
    func patchFlavoursHaveTheirContentTypes(patch: Patch, contentType: String) async throws {
        let transport = RecordingTransport()
        _ = try await client(transport).patchStatus(.deployments, name: "web", namespace: "x", patch)
        let request = try #require(transport.requests.first)
        #expect(request.method == "PATCH")
        #expect(request.url == "https://api.example:6443/apis/apps/v1/namespaces/x/deployments/web/status")
        #expect(request.header("Content-Type") == contentType)
        #expect(try body(request) == patch.body)  // the caller's deliberate null survives, nothing else is added
    }

    @Test func serverSideApplySendsJSONAsApplyPatchWithoutAddedNulls() async throws {
        let transport = RecordingTransport()
        let object: JSONValue = ["metadata": ["name": "cm"], "data": ["k": "v"]]
        _ = try await client(transport).apply(.configMaps, object, fieldManager: "incident-operator", force: true)
        let request = try #require(transport.requests.first)
        #expect(request.method == "PATCH")
        #expect(request.url == "https://api.example:6443/api/v1/namespaces/ops/configmaps/cm?fieldManager=incident-operator&force=true")
        #expect(request.header("Content-Type") == "application/apply-patch+yaml")
        let text = String(decoding: try #require(request.body), as: UTF8.self)
        #expect(!text.contains("null"))
        #expect(try body(request) == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm"], "data": ["k": "v"]])
    }

    @Test func applyWithoutANameIsRejectedBeforeSending() async throws {
        let transport = RecordingTransport()
        await #expect(throws: KubeClientError.self) {
            _ = try await client(transport).apply(.configMaps, ["data": [:]], fieldManager: "m")
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func watchQueryAsksForBookmarksFromAVersion() async throws {
        let events = #"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"8"}}}"# + "\n"
        let transport = RecordingTransport(responses: [TransportResponse(status: 200, body: Array(events.utf8))])
        var seen: [WatchEvent] = []
        for try await event in client(transport).watch(.pods, namespace: "ops", options: WatchOptions(labelSelector: "a=b", resourceVersion: "7", timeoutSeconds: 30)) {
            seen.append(event)
        }
        #expect(seen.map(\.resourceVersion) == ["8"])
        #expect(transport.requests.first?.url == "https://api.example:6443/api/v1/namespaces/ops/pods?watch=1&resourceVersion=7&allowWatchBookmarks=true&labelSelector=a%3Db&timeoutSeconds=30")
    }

    @Test func basicAuthenticationHeader() async throws {
        let transport = RecordingTransport()
        let c = KubeClient(configuration: ClientConfiguration(server: "https://x", authentication: .basic(username: "bob", password: "pw")),
                           transport: transport, logger: .silent)
        _ = try await c.get(.nodes, name: "n1")
        #expect(transport.requests.first?.header("Authorization") == "Basic Ym9iOnB3")
    }

    @Test func requestLogHasVerbPathStatusButNeverTheToken() async throws {
        let lines = LogLines()
        let logger = ClientLogger(minimumLevel: .debug) { _, message in lines.append(message) }
        let transport = RecordingTransport(responses: [TransportResponse(status: 404, body: Array(#"{"kind":"Status","code":404,"reason":"NotFound","message":"gone"}"#.utf8))])
        let c = KubeClient(configuration: configuration, transport: transport, logger: logger)
        await #expect(throws: KubeClientError.self) { _ = try await c.get(.secrets, name: "db") }
        let line = try #require(lines.all.first)
        #expect(line.hasPrefix("GET /api/v1/namespaces/ops/secrets/db 404 "))
        #expect(!lines.all.joined().contains("t0ken"))
        #expect(c.metrics.count(code: "404", method: "GET", host: "api.example:6443") == 1)
    }
}

/// Collects log lines.
final class LogLines: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
