import Foundation
import KubeCore
import Testing
@testable import KubeClient

/// libcurl transport against `fake_apiserver.py` on 127.0.0.1.
@Suite("libcurl transport over loopback")
struct TransportTests {
    let server: ChildProcess
    init() throws { server = try .fakeAPIServer() }

    var base: String { "http://127.0.0.1:\(server.port)" }

    func client(logger: ClientLogger = .silent) -> KubeClient {
        KubeClient(configuration: ClientConfiguration(server: base, namespace: "ops"), logger: logger)
    }

    func echo(_ transport: CurlTransport, _ request: TransportRequest) async throws -> JSONValue {
        let response = try await transport.send(request)
        #expect(response.status == 200)
        return try JSONValue(jsonBytes: response.body)
    }

    @Test func methodsHeadersBodiesAndQueryArriveIntact() async throws {
        let transport = CurlTransport()
        let body = Array(#"{"metadata":{"name":"ä"}}"#.utf8)
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let request = TransportRequest(method: method, url: "\(base)/echo/x?labelSelector=a%3Db",
                                      headers: [("Content-Type", "application/json"), ("X-Test", "1")],
                                      body: method == "GET" ? nil : body)
            let echoed = try await echo(transport, request)
            #expect(echoed["method"]?.stringValue == method)
            #expect(echoed["query", "labelSelector"]?.stringValue == "a=b")
            #expect(echoed["headers", "x-test"]?.stringValue == "1")
            #expect(echoed["headers", "expect"] == nil)
            #expect(echoed["body"]?.stringValue == (method == "GET" ? "" : String(decoding: body, as: UTF8.self)))
        }
        let empty = try await echo(transport, TransportRequest(method: "POST", url: "\(base)/echo/empty", body: []))
        #expect(empty["headers", "content-length"]?.stringValue == "0")
    }

    @Test func sequentialRequestsReuseTheConnection() async throws {
        let transport = CurlTransport(options: TransportOptions(maxConcurrentRequests: 1))
        let first = try await echo(transport, TransportRequest(method: "GET", url: "\(base)/echo/1"))
        let second = try await echo(transport, TransportRequest(method: "GET", url: "\(base)/echo/2"))
        #expect(first["clientPort"] == second["clientPort"])
    }

    @Test func concurrentRequestsShareABoundedPool() async throws {
        let transport = CurlTransport(options: TransportOptions(maxConcurrentRequests: 3))
        let ports = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            for i in 0..<24 {
                group.addTask { try await self.echo(transport, TransportRequest(method: "GET", url: "\(self.base)/echo/\(i)"))["clientPort"] }
            }
            var ports = Set<JSONValue?>()
            for try await port in group { ports.insert(port) }
            return ports
        }
        #expect(transport.pooledHandleCount <= 3)
        #expect(ports.count <= 3)
    }

    @Test func apiErrorsThroughTheRealTransport() async throws {
        let c = client()
        let notFound = await #expect(throws: KubeClientError.self) { _ = try await c.get(.configMaps, name: "missing") }
        #expect(notFound?.isNotFound == true)
        #expect(notFound?.status?.message.contains("/api/v1/namespaces/ops/configmaps/missing") == true)

        let tooMany = await #expect(throws: KubeClientError.self) { _ = try await c.perform(APIRequest(method: "GET", path: "/status/429")) }
        #expect(tooMany?.isTooManyRequests == true)
        #expect(tooMany?.retryAfterSeconds == 7)

        let unavailable = await #expect(throws: KubeClientError.self) { _ = try await c.perform(APIRequest(method: "GET", path: "/status/503")) }
        #expect(unavailable?.isServerError == true)
        #expect(unavailable?.retryAfterSeconds == 3)

        let proxy = await #expect(throws: KubeClientError.self) { _ = try await c.perform(APIRequest(method: "GET", path: "/text/502")) }
        #expect(proxy?.status?.message == "upstream proxy says no")
        #expect(c.metrics.count(code: "429", method: "GET", host: "127.0.0.1:\(server.port)") == 1)
    }

    @Test func connectionRefusedIsATransportErrorWithCurlsMessage() async throws {
        let c = KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:1"), logger: .silent)
        let error = await #expect(throws: KubeClientError.self) { _ = try await c.get(.nodes, name: "n") }
        guard case .transport(let message, let url)? = error else { Issue.record("expected .transport, got \(String(describing: error))"); return }
        #expect(message.lowercased().contains("connect"))
        #expect(url.hasPrefix("http://127.0.0.1:1/api/v1/nodes/n"))
        #expect(c.metrics.count(code: "<error>", method: "GET", host: "127.0.0.1:1") == 1)
    }

    @Test func watchDecodesEventsCutAcrossChunksAndEndsWithExpired() async throws {
        var events: [WatchEvent] = []
        var failure: KubeClientError?
        do {
            for try await event in client().watch(.configMaps, namespace: "split", options: WatchOptions(resourceVersion: "1")) {
                events.append(event)
            }
        } catch let error as KubeClientError {
            failure = error
        }
        #expect(events.count == 4)
        if case .added(let o)? = events.first { #expect(o.name == "a") } else { Issue.record("first event: \(String(describing: events.first))") }
        if events.count == 4, case .modified = events[1], case .deleted = events[2] {} else { Issue.record("events: \(events)") }
        #expect(events.last == .bookmark(resourceVersion: "9"))
        guard case .expired(let status)? = failure else { Issue.record("expected .expired, got \(String(describing: failure))"); return }
        #expect(status.code == 410)
    }

    @Test func watchAnswered410IsExpired() async throws {
        let error = await #expect(throws: KubeClientError.self) {
            for try await _ in client().watch(.configMaps, namespace: "gone", options: WatchOptions(resourceVersion: "1")) {}
        }
        guard case .expired? = error else { Issue.record("expected .expired, got \(String(describing: error))"); return }
    }

    @Test func leavingTheWatchLoopClosesTheConnection() async throws {
        var received = 0
        for try await _ in client().watch(.configMaps, namespace: "forever") {
            received += 1
            if received == 3 { break }
        }
        #expect(received == 3)
        #expect(try await waitForClosedWatches(1))
    }

    @Test func cancellingTheConsumingTaskClosesTheConnection() async throws {
        let c = client()
        let started = AsyncStream<Void>.makeStream()
        let consumer = Task {
            var count = 0
            for try await _ in c.watch(.configMaps, namespace: "forever") {
                count += 1
                if count == 1 { started.continuation.yield() }
            }
            return count
        }
        for await _ in started.stream { break }
        consumer.cancel()
        let count = try await consumer.value
        #expect(count >= 1)
        #expect(try await waitForClosedWatches(1))
    }

    /// Polls the server until it has seen `n` watch connections close (bounded: about 10 s).
    func waitForClosedWatches(_ n: Int) async throws -> Bool {
        let transport = CurlTransport()
        for _ in 0..<100 {
            let stats = try JSONValue(jsonBytes: try await transport.send(TransportRequest(method: "GET", url: "\(base)/debug/stats")).body)
            if (stats["watchClosed"]?.intValue ?? 0) >= n { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
