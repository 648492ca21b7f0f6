import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import Metrics

@Suite("KubeClient adapters")
struct AdapterTests {
    private func client(_ transport: ScriptedTransport) -> KubeClient {
        KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:6443"), transport: transport, logger: .silent)
    }

    @Test func listAndWatchSendSelectorsPagesBookmarksAndTheVersion() async throws {
        let transport = ScriptedTransport { req in
            if req.url.contains("watch=") {
                return jsonResponse(200, """
                    {"type":"ADDED","object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ops","resourceVersion":"12"}}}
                    {"type":"BOOKMARK","object":{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"resourceVersion":"15"}}}

                    """)
            }
            return jsonResponse(200, #"{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"11","continue":"next"},"items":[]}"#)
        }
        let source = KubeListWatchSource(client: client(transport), resource: .deployments, namespace: "ops",
                                         labelSelector: "app.kubernetes.io/managed-by=incident-operator")
        let page = try await source.list(limit: 50, continueToken: "tok")
        #expect(page.resourceVersion == "11")
        #expect(page.continueToken == "next")
        var events: [WatchEvent] = []
        for try await e in try await source.watch(resourceVersion: "11", timeoutSeconds: 300) { events.append(e) }
        #expect(events.count == 2)
        #expect(events.last == .bookmark(resourceVersion: "15"))
        let urls = transport.requests.map(\.url)
        let list = try #require(URLComponents(string: urls[0]))
        #expect(list.path == "/apis/apps/v1/namespaces/ops/deployments")
        let q = Dictionary(uniqueKeysWithValues: (list.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(q["limit"] == "50")
        #expect(q["continue"] == "tok")
        #expect(q["labelSelector"] == "app.kubernetes.io/managed-by=incident-operator")
        let watch = try #require(URLComponents(string: urls[1]))
        let w = Dictionary(uniqueKeysWithValues: (watch.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(w["allowWatchBookmarks"] == "true")
        #expect(w["resourceVersion"] == "11")
        #expect(w["timeoutSeconds"] == "300")
        #expect(w["labelSelector"] == "app.kubernetes.io/managed-by=incident-operator")
    }

    @Test func clusterScopedSourcesIgnoreTheNamespace() {
        let source = KubeListWatchSource(client: client(ScriptedTransport { _ in jsonResponse(200, "{}") }),
                                         resource: .clusterRoles, namespace: "ops")
        #expect(source.namespace == nil)
    }

    @Test func expiredWatchesAreRecognised() {
        #expect(ResourceExpiredError.matches(KubeClientError.expired(APIStatus.expired())))
        #expect(ResourceExpiredError.matches(APIStatus.expired()))
        #expect(!ResourceExpiredError.matches(KubeClientError.transport(message: "reset", url: "u")))
    }

    @Test func leaseStoreMapsNotFoundAndWritesWithThePrecondition() async throws {
        let transport = ScriptedTransport { req in
            switch req.method {
            case "GET":
                return jsonResponse(404, #"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"leases.coordination.k8s.io \"lock\" not found"}"#)
            case "PUT":
                return jsonResponse(409, #"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409,"message":"the object has been modified"}"#)
            default:
                var body = (try? JSONValue(jsonBytes: req.body ?? [])) ?? [:]
                body["metadata", "resourceVersion"] = "1"
                return jsonResponse(201, body.jsonString())
            }
        }
        let store = KubeLeaseStore(client: client(transport), name: "lock", namespace: "ops")
        #expect(try await store.get() == nil)
        let created = try await store.create(LeaseRecord(holderIdentity: "a", leaseDurationSeconds: 15, renewTime: Date(), resourceVersion: "99"))
        #expect(created.holderIdentity == "a")
        #expect(created.resourceVersion == "1")
        do {
            _ = try await store.update(created)
            Issue.record("a stale update must fail")
        } catch {
            #expect(LeaderElector.isConflict(error))
        }
        let sent = transport.requests
        #expect(sent.map(\.method) == ["GET", "POST", "PUT"])
        #expect(sent[1].url.hasSuffix("/apis/coordination.k8s.io/v1/namespaces/ops/leases"))
        let createdBody = try JSONValue(jsonBytes: try #require(sent[1].body))
        #expect(createdBody["metadata", "resourceVersion"] == nil)
        let putBody = try JSONValue(jsonBytes: try #require(sent[2].body))
        #expect(putBody["metadata", "resourceVersion"] == "1")
        #expect(putBody["spec", "holderIdentity"] == "a")
    }

    @Test func requestCountersAreExposedAsRestClientRequestsTotal() async throws {
        let transport = ScriptedTransport { _ in jsonResponse(200, #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x"}}"#) }
        let c = client(transport)
        _ = try await c.get(.configMaps, name: "x", namespace: "ops")
        _ = try await c.get(.configMaps, name: "x", namespace: "ops")
        let registry = MetricsRegistry()
        RestClientMetrics.register(c.metrics, in: registry)
        let samples = try PrometheusText.parse(registry.exposition())
        #expect(samples["rest_client_requests_total{code=\"200\",host=\"127.0.0.1:6443\",method=\"GET\"}"] == 2)
        #expect(registry.exposition().components(separatedBy: "# TYPE rest_client_requests_total counter").count == 2)
    }
}
