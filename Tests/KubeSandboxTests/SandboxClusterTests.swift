import Foundation
import KubeCore
import Testing
@testable import KubeSandbox

@Suite("Sandbox discovery, CRDs, simulated cluster, faults, auth, persistence, metrics")
struct SandboxClusterTests {
    static let widgetCRD: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "widgets.example.io"],
        "spec": [
            "group": "example.io", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"], "categories": ["all"]],
            "versions": [[
                "name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                "additionalPrinterColumns": [["name": "Size", "type": "integer", "jsonPath": ".spec.size"]],
                "schema": ["openAPIV3Schema": [
                    "type": "object",
                    "properties": ["spec": ["type": "object", "properties": [
                        "size": ["type": "integer", "default": 1], "color": ["type": "string"],
                    ]], "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
                ]],
            ]],
        ],
    ]

    @Test func discoveryAndOpenAPI() throws {
        try withSandbox { _, c in
            #expect(c.get("/version").json["gitVersion"]?.stringValue?.hasPrefix("v1.32") == true)
            #expect(c.get("/api").json["versions"] == ["v1"])
            let groups = (c.get("/apis").json["groups"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(groups.contains("apps") && groups.contains("rbac.authorization.k8s.io") && groups.contains("apiextensions.k8s.io"))
            let apps = c.get("/apis/apps/v1").json["resources"]?.arrayValue ?? []
            let deploy = try #require(apps.first { $0["name"] == "deployments" })
            #expect(deploy["shortNames"] == ["deploy"] && deploy["namespaced"] == true && deploy["categories"] == ["all"])
            #expect(apps.contains { $0["name"] == "deployments/status" })
            let index = c.get("/openapi/v3").json
            let url = try #require(index["paths", "apis/apps/v1", "serverRelativeURL"]?.stringValue)
            let doc = c.get(url).json
            let patch = try #require(doc["paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch"])
            #expect(patch["x-kubernetes-group-version-kind", "kind"] == "Deployment")
            #expect(patch["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } == true)
            #expect(c.get("/apis/nothing.example.io/v1").status == 404)
        }
    }

    @Test func creatingACRDServesItsResource() throws {
        try withSandbox { _, c in
            let crd = c.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Self.widgetCRD)
            #expect(crd.status == 201)
            #expect(crd.json["status", "conditions"]?.arrayValue?.contains { $0["type"] == "Established" && $0["status"] == "True" } == true)
            let resources = c.get("/apis/example.io/v1").json["resources"]?.arrayValue ?? []
            #expect(resources.contains { $0["name"] == "widgets" && $0["shortNames"] == ["wd"] })
            let path = "/apis/example.io/v1/namespaces/default/widgets"
            let created = c.post(path, ["apiVersion": "example.io/v1", "kind": "Widget", "metadata": ["name": "w"], "spec": ["color": "red"], "status": ["x": 1]])
            #expect(created.status == 201)
            #expect(created.json["spec", "size"] == 1, "schema defaults are applied on write")
            #expect(created.json["status"] == nil, "status is not set on create when the status subresource is enabled")
            let invalid = c.post(path, ["apiVersion": "example.io/v1", "kind": "Widget", "metadata": ["name": "bad"], "spec": ["size": "huge"]])
            #expect(invalid.status == 422)
            #expect(invalid.text.contains("spec.size"))
            let strict = c.post("\(path)?fieldValidation=Strict", ["apiVersion": "example.io/v1", "kind": "Widget", "metadata": ["name": "s"], "spec": ["bogus": 1]])
            #expect(strict.status == 400 && strict.text.contains("spec.bogus"))
            let table = c.get(path, headers: ["Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"]).json
            #expect(table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Name", "Size", "Age"])
            #expect(c.patch("\(path)/w", ["spec": ["size": 2]], "application/strategic-merge-patch+json").status == 415)
            c.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.io")
            #expect(c.get(path).status == 404, "deleting the CRD stops serving the resource")
        }
    }

    @Test func simulatedClusterReportsReadiness() throws {
        try withSandbox { _, c in
            #expect((c.get("/api/v1/nodes").json["items"]?.arrayValue ?? []).count == 2)
            c.post("/apis/apps/v1/namespaces/default/deployments", deployment("web", replicas: 3))
            var noReplicas = deployment("scaled", replicas: nil)
            noReplicas["metadata", "name"] = "scaled"
            #expect(c.post("/apis/apps/v1/namespaces/default/deployments", noReplicas).json["spec", "replicas"] == 1)
            #expect(eventually {
                let d = c.get("/apis/apps/v1/namespaces/default/deployments/web").json
                let available = d["status", "conditions"]?.arrayValue?.first { $0["type"] == "Available" }
                return d["status", "readyReplicas"] == 3 && available?["status"] == "True" && d["status", "observedGeneration"] == 1
            })
            var ds = deployment("agent")
            ds["kind"] = "DaemonSet"
            ds["spec", "replicas"] = nil
            c.post("/apis/apps/v1/namespaces/default/daemonsets", ds)
            #expect(eventually {
                let d = c.get("/apis/apps/v1/namespaces/default/daemonsets/agent").json
                return d["status", "desiredNumberScheduled"] == 2 && d["status", "numberReady"] == 2
            })
            c.post("/api/v1/namespaces/default/persistentvolumeclaims", [
                "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data"],
                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]],
            ])
            #expect(eventually { c.get("/api/v1/namespaces/default/persistentvolumeclaims/data").json["status", "phase"] == "Bound" })
        }
    }

    @Test func injectedFaults() throws {
        try withSandbox({ $0.faults = try SandboxFaults(spec: "write-error-rate=1") }) { sandbox, c in
            let failed = c.post("/api/v1/namespaces/default/configmaps", configMap("x"))
            #expect(failed.status == 500 && APIStatus(json: failed.json)?.reason == .internalError)
            #expect(c.get("/api/v1/namespaces/default/configmaps").status == 200, "reads are not affected")
            #expect(c.send("POST", "/sandbox/faults", .string("ignored")).status == 400, "a bad spec is refused")
            #expect(c.sendText("POST", "/sandbox/faults", "read-throttle-rate=1,retry-after=3s", contentType: "text/plain").status == 200)
            let fresh = try SandboxTestClient(port: sandbox.port)
            let throttled = fresh.get("/api/v1/namespaces/default/configmaps")
            #expect(throttled.status == 429)
            #expect(throttled.headers["retry-after"] == "3")
            sandbox.setFaults(SandboxFaults())
            #expect(fresh.post("/api/v1/namespaces/default/configmaps", configMap("ok")).status == 201)
        }
    }

    @Test func resetFaultDropsTheConnection() throws {
        try withSandbox({ $0.faults = try SandboxFaults(spec: "reset-rate=1") }) { sandbox, c in
            #expect(c.get("/api/v1/namespaces").status == 0, "no answer: the connection is reset")
            let fresh = try SandboxTestClient(port: sandbox.port)
            #expect(fresh.get("/version").status == 200, "discovery is not affected")
        }
    }

    @Test func faultSpecParsing() throws {
        let f = try SandboxFaults(spec: "write-error-rate=0.2,read-error-rate=0.1,latency=200ms,watch-close=5s,compact=10s,reset-rate=0.01")
        #expect(f.writeErrorRate == 0.2 && f.readErrorRate == 0.1 && f.latency == 0.2)
        #expect(f.watchCloseInterval == 5 && f.compactInterval == 10 && f.resetRate == 0.01)
        #expect(throws: SandboxFaults.ParseError.self) { try SandboxFaults(spec: "write-error-rate=2") }
        #expect(throws: SandboxFaults.ParseError.self) { try SandboxFaults(spec: "explode=1") }
        #expect(throws: SandboxFaults.ParseError.self) { try SandboxFaults(spec: "latency=soon") }
    }

    @Test func periodicCompactionAndWatchClosing() throws {
        try withSandbox({ $0.faults = try SandboxFaults(spec: "compact=100ms,watch-close=100ms") }) { sandbox, c in
            let start = try #require(c.get("/api/v1/namespaces/default/configmaps").json["metadata", "resourceVersion"]?.stringValue)
            c.post("/api/v1/namespaces/default/configmaps", configMap("after"))
            let watcher = try SandboxTestClient(port: sandbox.port)
            let live = watcher.watch("/api/v1/namespaces/default/configmaps?watch=1")
            #expect(live.next()?["type"] == "ADDED")
            #expect(live.next() == nil, "watch-close ends open watches")
            #expect(eventually {
                guard let fresh = try? SandboxTestClient(port: sandbox.port) else { return false }
                let events = fresh.watch("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(start)")
                return events.next()?["object", "code"] == 410
            }, "compaction makes old resourceVersions expire")
        }
    }

    @Test func closedWatchesEndTheStream() throws {
        try withSandbox { sandbox, c in
            let watcher = try SandboxTestClient(port: sandbox.port)
            let events = watcher.watch("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1")
            c.post("/api/v1/namespaces/default/configmaps", configMap("one"))
            #expect(events.next()?["type"] == "ADDED")
            sandbox.closeWatches()
            #expect(events.next() == nil)
        }
    }

    @Test func unknownTokensAreUnauthorized() throws {
        try withSandbox({ $0.tokens = ["s3cret": "alice"] }) { sandbox, c in
            #expect(c.get("/api/v1/namespaces", headers: ["Authorization": "Bearer s3cret"]).status == 200)
            let denied = c.get("/api/v1/namespaces", headers: ["Authorization": "Bearer wrong"])
            #expect(denied.status == 401 && APIStatus(json: denied.json)?.reason == .unauthorized)
            #expect(sandbox.kubeconfig().contains("token: s3cret"))
        }
    }

    @Test func stateSurvivesARestartWithADataDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var uid: String?
        try withSandbox({ $0.dataDir = dir }) { _, c in
            c.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Self.widgetCRD)
            uid = c.post("/apis/example.io/v1/namespaces/default/widgets", ["apiVersion": "example.io/v1", "kind": "Widget", "metadata": ["name": "kept"]]).json.uid
            c.post("/api/v1/namespaces/default/configmaps", configMap("gone"))
            c.delete("/api/v1/namespaces/default/configmaps/gone")
        }
        try withSandbox({ $0.dataDir = dir }) { _, c in
            #expect(c.get("/apis/example.io/v1/namespaces/default/widgets/kept").json.uid == uid)
            #expect(c.get("/api/v1/namespaces/default/configmaps/gone").status == 404)
        }
    }

    @Test func rolloutsUnderWayWhenTheSandboxStoppedFinishAfterARestart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = "/apis/apps/v1/namespaces/default/deployments/web"
        // Stopped long before the simulated rollout would finish.
        try withSandbox({ $0.dataDir = dir; $0.readyDelay = 3600 }) { _, c in
            c.post("/apis/apps/v1/namespaces/default/deployments", deployment("web", replicas: 2))
            #expect(eventually(5) { c.get(path).json["status", "replicas"] == 2 })
            #expect(c.get(path).json["status", "readyReplicas"]?.intValue ?? 0 == 0)
        }
        try withSandbox({ $0.dataDir = dir; $0.readyDelay = 0.1 }) { _, c in
            #expect(eventually(5) { c.get(path).json["status", "readyReplicas"] == 2 }, "the rollout resumes after the restart")
        }
    }

    @Test func auditLogRecordsWhoWroteWhat() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: log) }
        try withSandbox({ $0.auditLog = log; $0.tokens = ["t1": "alice"] }) { _, c in
            c.send("POST", "/api/v1/namespaces/default/configmaps?fieldManager=op", configMap("a"), headers: ["Authorization": "Bearer t1"])
            c.get("/api/v1/namespaces/default/configmaps/a")
            c.delete("/api/v1/namespaces/default/configmaps/a")
        }
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { try JSONValue(json: String($0)) }
        #expect(lines.count == 2, "reads are not logged")
        #expect(lines[0]["verb"] == "POST" && lines[0]["user"] == "alice" && lines[0]["fieldManager"] == "op" && lines[0]["code"] == 201)
        #expect(lines[1]["verb"] == "DELETE" && lines[1]["name"] == "a" && lines[1]["user"] == "system:admin")
    }

    @Test func metricsCountRequests() throws {
        try withSandbox { _, c in
            c.post("/api/v1/namespaces/default/configmaps", configMap("m"))
            c.get("/api/v1/namespaces/default/configmaps/m")
            c.get("/api/v1/namespaces/default/configmaps/none")
            c.send("PATCH", "/api/v1/namespaces/default/configmaps/m?fieldManager=t", configMap("m"), contentType: "application/apply-patch+yaml")
            let text = c.get("/metrics").text
            #expect(text.contains(#"apiserver_request_total{code="201",group="",resource="configmaps",subresource="",verb="POST"} 1"#))
            #expect(text.contains(#"apiserver_request_total{code="200",group="",resource="configmaps",subresource="",verb="GET"} 1"#))
            #expect(text.contains(#"apiserver_request_total{code="404",group="",resource="configmaps",subresource="",verb="GET"} 1"#))
            #expect(text.contains(#"verb="APPLY"} 1"#))
        }
    }
}
