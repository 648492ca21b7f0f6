import Foundation
import Testing

@Suite("incident-management API", .serialized)
struct IncidentsAPITests {
    @Test func createThenReadWithItsTimeline() async throws {
        let h = try ServiceHarness()
        let api = TestClient(base: try h.start(.incidentManagement))
        let created = try await api.post("/api/v1/incidents", json: [
            "title": "Checkout latency", "severity": "high", "description": "p99 above 2 s", "labels": ["team": "payments"],
        ])
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? Int)
        #expect(created.json["status"] as? String == "triggered")
        #expect(created.json["severity"] as? String == "high")
        #expect(created.json["labels"] as? [String: String] == ["team": "payments"])
        #expect(created.header("Location") == "/api/v1/incidents/\(id)")
        #expect(created.header("X-Request-Id")?.isEmpty == false)

        let read = try await api.get("/api/v1/incidents/\(id)")
        #expect(read.status == 200)
        #expect(read.json["title"] as? String == "Checkout latency")
        let timeline = try #require(read.json["timeline"] as? [[String: Any]])
        #expect(timeline.map { $0["kind"] as? String } == ["created"])
    }

    @Test func listIsNewestFirstWithCursorPaginationAndFilters() async throws {
        let h = try ServiceHarness()
        let api = TestClient(base: try h.start(.incidentManagement))
        var ids: [Int] = []
        for (i, severity) in ["critical", "low", "critical", "medium", "critical"].enumerated() {
            let r = try await api.post("/api/v1/incidents", json: ["title": "incident \(i)", "severity": severity])
            ids.append(try #require(r.json["id"] as? Int))
        }
        var seen: [Int] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await api.get("/api/v1/incidents?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == 200)
            seen += (page.json["incidents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            cursor = page.json["next_cursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(seen == ids.reversed())
        #expect(pages == 3)

        let critical = try await api.get("/api/v1/incidents?severity=critical")
        #expect((critical.json["incidents"] as? [[String: Any]])?.count == 3)
        _ = try await api.post("/api/v1/incidents/\(ids[0])/resolve", json: [:])
        let resolved = try await api.get("/api/v1/incidents?status=resolved")
        #expect((resolved.json["incidents"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [ids[0]])
        let bad = try await api.get("/api/v1/incidents?status=sleeping")
        #expect(bad.status == 422)
        #expect(bad.json["error"] != nil)
    }

    @Test func transitionsAreIdempotentAndImpossibleOnesAre409() async throws {
        let h = try ServiceHarness()
        let api = TestClient(base: try h.start(.incidentManagement))
        let id = try #require(try await api.post("/api/v1/incidents", json: ["title": "Disk full", "severity": "critical"]).json["id"] as? Int)

        let ack = try await api.post("/api/v1/incidents/\(id)/acknowledge", json: ["by": "alice"])
        #expect(ack.status == 200)
        #expect(ack.json["status"] as? String == "acknowledged")
        #expect(ack.json["acknowledged_by"] as? String == "alice")
        let again = try await api.post("/api/v1/incidents/\(id)/acknowledge", json: ["by": "bob"])
        #expect(again.status == 200)
        #expect(again.json["acknowledged_by"] as? String == "alice")

        let note = try await api.post("/api/v1/incidents/\(id)/notes", json: ["by": "alice", "text": "cleaning /var/log"])
        #expect(note.status == 201)
        let resolve = try await api.post("/api/v1/incidents/\(id)/resolve", json: ["by": "alice", "note": "rotated logs"])
        #expect(resolve.status == 200)
        #expect(resolve.json["status"] as? String == "resolved")
        #expect(try await api.post("/api/v1/incidents/\(id)/resolve", json: [:]).status == 200)
        let conflict = try await api.post("/api/v1/incidents/\(id)/acknowledge", json: [:])
        #expect(conflict.status == 409)
        #expect((conflict.json["error"] as? [String: Any])?["code"] as? String == "invalid_transition")

        let timeline = try await api.get("/api/v1/incidents/\(id)").json["timeline"] as? [[String: Any]] ?? []
        #expect(timeline.map { $0["kind"] as? String } == ["created", "acknowledged", "note", "resolved"])
        #expect((timeline[3]["message"] as? String)?.contains("rotated logs") == true)
    }

    @Test func unknownIncidentsAre404() async throws {
        let h = try ServiceHarness()
        let api = TestClient(base: try h.start(.incidentManagement))
        #expect(try await api.get("/api/v1/incidents/999").status == 404)
        #expect(try await api.get("/api/v1/incidents/abc").status == 404)
        #expect(try await api.post("/api/v1/incidents/999/acknowledge", json: [:]).status == 404)
        #expect(try await api.post("/api/v1/incidents/999/notes", json: ["by": "a", "text": "b"]).status == 404)
        let wrongMethod = try await api.request("DELETE", "/api/v1/incidents/1")
        #expect(wrongMethod.status == 405)
    }

    @Test func writesNeedTheTokenAndReadsDoNot() async throws {
        let h = try ServiceHarness()
        let base = try h.start(.incidentManagement)
        var anonymous = TestClient(base: base)
        anonymous.token = nil
        let denied = try await anonymous.post("/api/v1/incidents", json: ["title": "x", "severity": "low"])
        #expect(denied.status == 401)
        #expect((denied.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
        #expect(denied.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        var wrong = TestClient(base: base)
        wrong.token = ServiceHarness.token + "x"
        #expect(try await wrong.post("/api/v1/incidents", json: ["title": "x", "severity": "low"]).status == 401)
        #expect(try await anonymous.get("/api/v1/incidents").status == 200)
        #expect(try h.count("incidents") == 0)
        // The token never reaches the log.
        #expect(!h.logs.lines.joined().contains(ServiceHarness.token))
    }

    @Test func everyRequestIsOneJSONLogLineWithItsRequestID() async throws {
        let h = try ServiceHarness()
        let api = TestClient(base: try h.start(.incidentManagement))
        let r = try await api.request("GET", "/api/v1/incidents", headers: ["X-Request-Id": "abc-123"])
        #expect(r.header("X-Request-Id") == "abc-123")
        let line = try #require(h.logs.lines.last { $0.contains("abc-123") })
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(fields["method"] as? String == "GET")
        #expect(fields["path"] as? String == "/api/v1/incidents")
        #expect(fields["status"] as? Int == 200)
        #expect(fields["duration_ms"] is Double || fields["duration_ms"] is Int)
    }
}
