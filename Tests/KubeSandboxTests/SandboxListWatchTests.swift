import Foundation
import KubeCore
import Testing
@testable import KubeSandbox

@Suite("Sandbox lists, selectors, pagination and watches")
struct SandboxListWatchTests {
    let cms = "/api/v1/namespaces/default/configmaps"

    func names(_ reply: SandboxTestClient.Reply) -> [String] {
        (reply.json["items"]?.arrayValue ?? []).compactMap(\.name)
    }

    @Test func labelAndFieldSelectors() throws {
        try withSandbox { _, c in
            c.post(cms, configMap("a", labels: ["app": "web", "tier": "front"]))
            c.post(cms, configMap("b", labels: ["app": "db"]))
            c.post(cms, configMap("c", labels: ["tier": "back"]))
            func select(_ q: String) -> [String] {
                names(c.get("\(cms)?labelSelector=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q)"))
            }
            #expect(select("app=web") == ["a"])
            #expect(select("app!=web") == ["b", "c"])
            #expect(select("app in (web,db)") == ["a", "b"])
            #expect(select("app notin (web)") == ["b", "c"])
            #expect(select("tier") == ["a", "c"])
            #expect(select("!tier") == ["b"])
            #expect(names(c.get("\(cms)?fieldSelector=metadata.name%3Db")) == ["b"])
            #expect(names(c.get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Ddefault")) == ["a", "b", "c"])
            #expect(c.get("\(cms)?labelSelector=%3D%3D%3D").status == 400)
            #expect(c.get("\(cms)?fieldSelector=spec.nope%3Dx").status == 400)
        }
    }

    @Test func limitAndContinuePaginate() throws {
        try withSandbox { _, c in
            for i in 0..<5 { c.post(cms, configMap("item-\(i)")) }
            let page1 = c.get("\(cms)?limit=2")
            #expect(names(page1) == ["item-0", "item-1"])
            #expect(page1.json["metadata", "remainingItemCount"] == 3)
            let token = try #require(page1.json["metadata", "continue"]?.stringValue)
            let page2 = c.get("\(cms)?limit=2&continue=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token)")
            #expect(names(page2) == ["item-2", "item-3"])
            let token2 = try #require(page2.json["metadata", "continue"]?.stringValue)
            let page3 = c.get("\(cms)?limit=2&continue=\(token2.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token2)")
            #expect(names(page3) == ["item-4"])
            #expect(page3.json["metadata", "continue"] == nil)
            #expect(c.get("\(cms)?limit=2&continue=garbage").status == 400)
        }
    }

    @Test func watchStreamsEventsFromAResourceVersion() throws {
        try withSandbox { sandbox, c in
            c.post(cms, configMap("before"))
            let start = try #require(c.get(cms).json["metadata", "resourceVersion"]?.stringValue)
            c.post(cms, configMap("w", labels: ["watch": "me"]))
            c.patch("\(cms)/w", ["data": ["x": "1"]])
            c.delete("\(cms)/w")
            let watcher = try SandboxTestClient(port: sandbox.port)
            let events = watcher.watch("\(cms)?watch=1&resourceVersion=\(start)&timeoutSeconds=5")
            var seen: [String] = []
            for _ in 0..<3 {
                let e = try #require(events.next())
                seen.append("\(e["type"]?.stringValue ?? "") \(e["object"]?.name ?? "")")
            }
            #expect(seen == ["ADDED w", "MODIFIED w", "DELETED w"])
            c.post(cms, configMap("live"))
            let live = try #require(events.next())
            #expect(live["type"] == "ADDED" && live["object"]?.name == "live", "changes made after the watch started arrive as they happen")
        }
    }

    @Test func watchWithoutResourceVersionStartsWithTheCurrentObjects() throws {
        try withSandbox { sandbox, c in
            c.post(cms, configMap("existing"))
            let watcher = try SandboxTestClient(port: sandbox.port)
            let events = watcher.watch("\(cms)?watch=true&timeoutSeconds=5")
            let first = try #require(events.next())
            #expect(first["type"] == "ADDED" && first["object"]?.name == "existing")
        }
    }

    @Test func selectorWatchSeesObjectsEnterAndLeave() throws {
        try withSandbox { sandbox, c in
            let start = try #require(c.get(cms).json["metadata", "resourceVersion"]?.stringValue)
            c.post(cms, configMap("moving"))
            c.patch("\(cms)/moving", ["metadata": ["labels": ["team": "a"]]])
            c.patch("\(cms)/moving", ["metadata": ["labels": ["team": "b"]]])
            let watcher = try SandboxTestClient(port: sandbox.port)
            let events = watcher.watch("\(cms)?watch=1&resourceVersion=\(start)&labelSelector=team%3Da&timeoutSeconds=5")
            let added = try #require(events.next())
            let deleted = try #require(events.next())
            #expect(added["type"] == "ADDED")
            #expect(deleted["type"] == "DELETED", "an object that stops matching leaves the watch as DELETED")
        }
    }

    @Test func expiredResourceVersionGives410() throws {
        try withSandbox { sandbox, c in
            c.post(cms, configMap("old"))
            let start = try #require(c.get(cms).json["metadata", "resourceVersion"]?.stringValue)
            c.post(cms, configMap("newer"))
            sandbox.compactHistory()
            let watcher = try SandboxTestClient(port: sandbox.port)
            let events = watcher.watch("\(cms)?watch=1&resourceVersion=\(Int(start).map { $0 - 1 } ?? 0)")
            let error = try #require(events.next())
            #expect(error["type"] == "ERROR")
            let status = try #require(error["object"].flatMap(APIStatus.init(json:)))
            #expect(status.code == 410 && status.reason == .expired)
            #expect(events.next() == nil, "the stream ends after the ERROR event")
        }
    }

    @Test func historyWindowIsBounded() throws {
        try withSandbox({ $0.historyLimit = 3 }) { sandbox, c in
            let start = try #require(c.get(cms).json["metadata", "resourceVersion"]?.stringValue)
            for i in 0..<5 { c.post(cms, configMap("n\(i)")) }
            let watcher = try SandboxTestClient(port: sandbox.port)
            let events = watcher.watch("\(cms)?watch=1&resourceVersion=\(start)")
            #expect(events.next()?["object", "code"] == 410)
        }
    }

    @Test func bookmarksAndTimeout() throws {
        try withSandbox { sandbox, c in
            let start = try #require(c.get(cms).json["metadata", "resourceVersion"]?.stringValue)
            let watcher = try SandboxTestClient(port: sandbox.port)
            let events = watcher.watch("\(cms)?watch=1&resourceVersion=\(start)&allowWatchBookmarks=true&timeoutSeconds=7")
            let bookmark = try #require(events.next())
            #expect(bookmark["type"] == "BOOKMARK")
            #expect(bookmark["object", "kind"] == "ConfigMap")
            #expect(bookmark["object", "metadata", "resourceVersion"]?.stringValue != nil)
            while let e = events.next() { #expect(e["type"] == "BOOKMARK") }
        }
    }

    @Test func sendInitialEventsEndsTheInitialStateWithABookmark() throws {
        try withSandbox { sandbox, c in
            c.post(cms, configMap("first"))
            let watcher = try SandboxTestClient(port: sandbox.port)
            let events = watcher.watch("\(cms)?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5")
            #expect(events.next()?["object", "metadata", "name"] == "first")
            let end = try #require(events.next())
            #expect(end["type"] == "BOOKMARK")
            #expect(end["object", "metadata", "annotations", "k8s.io/initial-events-end"] == "true")
        }
    }

    @Test func tablesForKubectlGet() throws {
        try withSandbox { _, c in
            c.post(cms, configMap("t", data: ["a": "1", "b": "2"]))
            let accept = ["Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"]
            let table = c.get(cms, headers: accept).json
            #expect(table["kind"] == "Table")
            let columns = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(columns == ["Name", "Data", "Age"])
            let row = try #require(table["rows"]?.arrayValue?.first)
            #expect(row["cells"]?.arrayValue?.prefix(2).map { $0 } == ["t", 2])
            #expect(row["object", "kind"] == "PartialObjectMetadata")
            #expect(c.get("\(cms)/t", headers: accept).json["rows"]?.arrayValue?.count == 1)
        }
    }
}
