import Foundation
import KubeCore
import KubeSandbox
import Testing
@testable import KubeClient

/// The client against the in-process sandbox API server over loopback, authenticated by a bearer token.
@Suite("client against the sandbox")
struct SandboxIntegrationTests {
    let sandbox: SandboxServer
    let client: KubeClient

    init() throws {
        var options = SandboxOptions()
        options.readyDelay = 60  // no simulated status writes racing the tests' own
        options.tokens = ["t0ken": "alice"]
        sandbox = SandboxServer(options: options)
        _ = try sandbox.start()
        // The sandbox's own (YAML) kubeconfig, read by this client's loader.
        let file = try Fixtures.temporaryDirectory() + "/kubeconfig"
        try sandbox.writeKubeconfig(to: URL(fileURLWithPath: file))
        client = KubeClient(configuration: try .load(kubeconfig: file, environment: [:]), logger: .silent)
    }

    func configMap(_ name: String, data: JSONValue = ["k": "v"], labels: JSONValue? = nil) -> JSONValue {
        var cm: JSONValue = ["metadata": ["name": .string(name)], "data": data]
        if let labels { cm["metadata", "labels"] = labels }
        return cm
    }

    func deployment(_ name: String) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": 1, "selector": ["matchLabels": ["app": .string(name)]],
                "template": ["metadata": ["labels": ["app": .string(name)]],
                             "spec": ["containers": [["name": "app", "image": "nginx:1.27"]]]],
            ],
        ]
    }

    @Test func everyVerbAndItsErrors() async throws {
        let created = try await client.create(.configMaps, configMap("crud", labels: ["tier": "a"]))
        #expect(created.namespace == "default")
        let rv = try #require(created.resourceVersion)

        let alreadyExists = await #expect(throws: KubeClientError.self) { _ = try await client.create(.configMaps, configMap("crud")) }
        #expect(alreadyExists?.isAlreadyExists == true)

        var changed = try await client.get(.configMaps, name: "crud")
        changed["data", "k"] = "v2"
        let updated = try await client.update(.configMaps, changed)
        #expect(updated["data", "k"] == "v2")

        var stale = created
        stale["data", "k"] = "v3"
        stale["metadata", "resourceVersion"] = .string(rv)
        let conflict = await #expect(throws: KubeClientError.self) { _ = try await client.update(.configMaps, stale) }
        #expect(conflict?.isConflict == true)
        #expect(conflict?.isAlreadyExists == false)

        let merged = try await client.patch(.configMaps, name: "crud", .merge(["metadata": ["labels": ["patched": "yes"]], "data": ["k": nil]]))
        #expect(merged.labels == ["tier": "a", "patched": "yes"])
        #expect(merged["data", "k"] == nil)

        let jsonPatched = try await client.patch(.configMaps, name: "crud", .json([["op": "add", "path": "/data/j", "value": "1"]]))
        #expect(jsonPatched["data", "j"] == "1")

        let strategic = try await client.patch(.configMaps, name: "crud", .strategic(["data": ["s": "2"]]))
        #expect(strategic["data"] == ["j": "1", "s": "2"])

        let invalid = await #expect(throws: KubeClientError.self) { _ = try await client.create(.configMaps, configMap("Not_A_Name")) }
        #expect(invalid?.isInvalid == true)

        try await client.delete(.configMaps, name: "crud", options: DeleteOptions(propagationPolicy: .background))
        let notFound = await #expect(throws: KubeClientError.self) { _ = try await client.get(.configMaps, name: "crud") }
        #expect(notFound?.isNotFound == true)
    }

    @Test func deletePreconditionsAreChecked() async throws {
        _ = try await client.create(.configMaps, configMap("guarded"))
        let mismatch = await #expect(throws: KubeClientError.self) {
            try await client.delete(.configMaps, name: "guarded", options: DeleteOptions(preconditionUID: "not-the-uid"))
        }
        #expect(mismatch?.isConflict == true)
        _ = try await client.get(.configMaps, name: "guarded")
    }

    @Test func statusSubresourceUpdatePatchAndApply() async throws {
        _ = try await client.create(.deployments, deployment("web"))
        var withStatus = try await client.get(.deployments, name: "web")  // the simulator has already written status
        withStatus["status"] = ["observedGeneration": 1, "replicas": 1]
        withStatus["spec", "replicas"] = 5  // ignored through /status
        let updated = try await client.updateStatus(.deployments, withStatus)
        #expect(updated["spec", "replicas"] == 1)

        let patched = try await client.patchStatus(.deployments, name: "web", .merge(["status": ["conditions": [["type": "Custom", "status": "True"]]]]))
        #expect(patched["status", "conditions"]?.arrayValue?.contains { $0["type"] == "Custom" } == true)

        let applied = try await client.applyStatus(.deployments, ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                                                                   "status": ["conditions": [["type": "Owned", "status": "True"]]]],
                                                   fieldManager: "status-writer", force: true)
        #expect(applied["status", "conditions"]?.arrayValue?.contains { $0["type"] == "Owned" } == true)
        #expect(applied["spec", "replicas"] == 1)
    }

    @Test func serverSideApplyRemovesFieldsAndReportsConflictsUnlessForced() async throws {
        let first = try await client.apply(.configMaps, configMap("ssa", data: ["a": "1", "b": "2"]), fieldManager: "manager-one")
        #expect(first["data"] == ["a": "1", "b": "2"])

        let removed = try await client.apply(.configMaps, configMap("ssa", data: ["a": "1"]), fieldManager: "manager-one")
        #expect(removed["data"] == ["a": "1"])

        let conflict = await #expect(throws: KubeClientError.self) {
            _ = try await client.apply(.configMaps, configMap("ssa", data: ["a": "other"]), fieldManager: "manager-two")
        }
        #expect(conflict?.isConflict == true)
        #expect(conflict?.status?.message.contains("manager-one") == true)

        let forced = try await client.apply(.configMaps, configMap("ssa", data: ["a": "other"]), fieldManager: "manager-two", force: true)
        #expect(forced["data", "a"] == "other")
    }

    @Test func paginationFollowsContinueTokens() async throws {
        for i in 0..<7 { _ = try await client.create(.configMaps, configMap("page-\(i)", labels: ["set": "pages"])) }
        _ = try await client.create(.configMaps, configMap("other", labels: ["set": "other"]))
        let firstPage = try await client.list(.configMaps, namespace: "default", options: ListOptions(labelSelector: "set=pages", limit: 3))
        #expect(firstPage.items.count == 3)
        #expect(firstPage.continueToken != nil)
        #expect(firstPage.items.allSatisfy { $0.kind == "ConfigMap" && $0.apiVersion == "v1" })
        let all = try await client.listAll(.configMaps, namespace: "default", options: ListOptions(labelSelector: "set=pages", limit: 3))
        #expect(Set(all.items.compactMap(\.name)) == Set((0..<7).map { "page-\($0)" }))
        #expect(!all.resourceVersion.isEmpty)
        let byField = try await client.list(.configMaps, namespace: "default", options: ListOptions(fieldSelector: "metadata.name=other"))
        #expect(byField.items.map(\.name) == ["other"])
    }

    @Test func watchSeesAddedModifiedDeleted() async throws {
        let start = try await client.list(.configMaps, namespace: "default")
        let stream = client.watch(.configMaps, namespace: "default", options: WatchOptions(labelSelector: "watched=yes", resourceVersion: start.resourceVersion))
        let collector = Task {
            var seen: [String] = []
            for try await event in stream {
                switch event {
                case .added(let o): seen.append("ADDED \(o.name ?? "")")
                case .modified(let o): seen.append("MODIFIED \(o["data", "k"]?.stringValue ?? "")")
                case .deleted(let o): seen.append("DELETED \(o.name ?? "")")
                case .bookmark: continue
                }
                if seen.count == 3 { break }
            }
            return seen
        }
        _ = try await client.create(.configMaps, configMap("w", labels: ["watched": "yes"]))
        _ = try await client.patch(.configMaps, name: "w", .merge(["data": ["k": "changed"]]))
        try await client.delete(.configMaps, name: "w")
        #expect(try await collector.value == ["ADDED w", "MODIFIED changed", "DELETED w"])
    }

    @Test func watchFromACompactedVersionReportsExpired() async throws {
        let old = try await client.create(.configMaps, configMap("old"))
        for i in 0..<3 { _ = try await client.patch(.configMaps, name: "old", .merge(["data": ["i": .string(String(i))]])) }
        sandbox.compactHistory()
        let error = await #expect(throws: KubeClientError.self) {
            for try await _ in client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: old.resourceVersion)) {}
        }
        guard case .expired(let status)? = error else { Issue.record("expected .expired, got \(String(describing: error))"); return }
        #expect(status.code == 410)
    }

    @Test func cancellingAWatchClosesItOnTheServer() async throws {
        #expect(try await openWatchers() == 0)
        let consumer = Task {
            for try await _ in client.watch(.configMaps, namespace: "default") {}
        }
        #expect(try await waitForWatchers { $0 == 1 })
        consumer.cancel()
        _ = await consumer.result
        #expect(try await waitForWatchers { $0 == 0 })
    }

    @Test func aWrongTokenIsUnauthorized() async throws {
        let other = KubeClient(configuration: ClientConfiguration(server: sandbox.baseURL.absoluteString, authentication: .bearerToken("wrong")), logger: .silent)
        let error = await #expect(throws: KubeClientError.self) { _ = try await other.list(.configMaps) }
        #expect(error?.isUnauthorized == true)
    }

    @Test func countersCoverEveryRequest() async throws {
        _ = try await client.list(.configMaps)
        _ = try? await client.get(.configMaps, name: "absent")
        let host = client.configuration.host
        #expect(client.metrics.count(code: "200", method: "GET", host: host) == 1)
        #expect(client.metrics.count(code: "404", method: "GET", host: host) == 1)
        #expect(client.metrics.snapshot().map(\.count).reduce(0, +) == 2)
    }

    func openWatchers() async throws -> Int {
        let response = try await CurlTransport().send(TransportRequest(method: "GET", url: sandbox.baseURL.absoluteString + "/metrics",
                                                                  headers: [("Authorization", "Bearer t0ken")]))
        let text = String(decoding: response.body, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("apiserver_registered_watchers ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
    }

    /// Polls the sandbox's watcher gauge until `condition` holds (bounded: about 10 s).
    func waitForWatchers(_ condition: (Int) -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if condition(try await openWatchers()) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
