import Foundation
import Testing

@Suite("alert-ingestion: Alertmanager and PagerDuty events", .serialized)
struct AlertIngestionTests {
    @Test func twoAlertsOneSentTwiceGiveTwoIncidentsAndTheResolvedPayloadResolvesThem() async throws {
        let h = try ServiceHarness()
        let ingest = TestClient(base: try h.start(.alertIngestion))
        let incidents = TestClient(base: try h.start(.incidentManagement))
        let a = AlertmanagerPayload.alert("HighLatency", severity: "warning", fingerprint: "aaaa000000000001", summary: "Checkout p99 > 2s")
        let b = AlertmanagerPayload.alert("DiskFull", severity: "critical")   // no fingerprint: keyed by its labels
        #expect(try await ingest.post("/api/v1/alerts/alertmanager", json: AlertmanagerPayload.webhook([a, b])).status == 200)
        #expect(try await ingest.post("/api/v1/alerts/alertmanager", json: AlertmanagerPayload.webhook([a])).status == 200)

        let open = try await incidents.get("/api/v1/incidents").json["incidents"] as? [[String: Any]] ?? []
        #expect(open.count == 2)
        let latency = try #require(open.first { $0["dedup_key"] as? String == "aaaa000000000001" })
        #expect(latency["title"] as? String == "Checkout p99 > 2s")
        #expect(latency["severity"] as? String == "medium")
        #expect(latency["alert_count"] as? Int == 2)
        let disk = try #require(open.first { $0["dedup_key"] as? String != "aaaa000000000001" })
        #expect(disk["title"] as? String == "DiskFull")
        #expect(disk["severity"] as? String == "critical")

        let resolved = AlertmanagerPayload.webhook([
            AlertmanagerPayload.alert("HighLatency", status: "resolved", severity: "warning", fingerprint: "aaaa000000000001"),
            AlertmanagerPayload.alert("DiskFull", status: "resolved", severity: "critical"),
        ], status: "resolved")
        let r = try await ingest.post("/api/v1/alerts/alertmanager", json: resolved)
        #expect(r.json["resolved"] as? Int == 2)
        let after = try await incidents.get("/api/v1/incidents?status=resolved").json["incidents"] as? [[String: Any]] ?? []
        #expect(after.count == 2)

        // The first repeat is a timeline entry (later ones only count), then the resolution.
        let timeline = try await incidents.get("/api/v1/incidents/\(try #require(latency["id"] as? Int))").json["timeline"] as? [[String: Any]] ?? []
        #expect(timeline.map { $0["kind"] as? String } == ["created", "alert_repeated", "resolved"])
        #expect((timeline[1]["message"] as? String)?.contains("fired again") == true)

        // Firing again after resolution opens a new incident (the key was released).
        _ = try await ingest.post("/api/v1/alerts/alertmanager", json: AlertmanagerPayload.webhook([a]))
        let all = try await incidents.get("/api/v1/incidents").json["incidents"] as? [[String: Any]] ?? []
        #expect(all.count == 3)
        #expect(all.first?["status"] as? String == "triggered")
    }

    @Test func eightConcurrentIdenticalWebhooksOpenExactlyOneIncident() async throws {
        let h = try ServiceHarness()
        // Two replicas of alert-ingestion on the same database, as in a scaled Deployment.
        let replicas = [TestClient(base: try h.start(.alertIngestion)), TestClient(base: try h.start(.alertIngestion))]
        let payload = try JSONSerialization.data(withJSONObject: AlertmanagerPayload.webhook([
            AlertmanagerPayload.alert("NodeDown", fingerprint: "bbbb000000000001"),
        ]))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask { try await replicas[i % 2].request("POST", "/api/v1/alerts/alertmanager", body: payload).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 8))
        let db = try h.connection()
        defer { db.close() }
        let rows = try db.query("SELECT alert_count FROM incidents WHERE dedup_key = 'bbbb000000000001'").rows
        #expect(rows.count == 1)
        #expect(try rows.first?.decode("alert_count", as: Int.self) == 8)
        // Seven repeats, one timeline entry; the count is on the incident.
        let events = try db.query("""
            SELECT kind, message FROM incident_events e JOIN incidents i ON i.id = e.incident_id
            WHERE i.dedup_key = 'bbbb000000000001' ORDER BY e.id
            """).rows
        #expect(try events.map { try $0.decode("kind", as: String.self) } == ["created", "alert_repeated"])
        #expect(try events.last?.decode("message", as: String.self).contains("fired again") == true)
    }

    @Test func pagerDutyEventsTriggerAcknowledgeAndResolve() async throws {
        let h = try ServiceHarness()
        let ingest = TestClient(base: try h.start(.alertIngestion))
        let trigger: [String: Any] = [
            "routing_key": "R0UT1NGKEY", "event_action": "trigger",
            "payload": ["summary": "DB replica lag", "source": "db-2", "severity": "error", "custom_details": ["lag_s": 42]],
        ]
        let created = try await ingest.post("/api/v1/events", json: trigger)
        #expect(created.status == 202)
        #expect(created.json["status"] as? String == "success")
        let key = try #require(created.json["dedup_key"] as? String)
        #expect(!key.isEmpty)

        let ack = try await ingest.post("/api/v1/events", json: ["event_action": "acknowledge", "dedup_key": key])
        #expect(ack.status == 202)
        let db = try h.connection()
        defer { db.close() }
        func status() throws -> String? {
            try db.query("SELECT status FROM incidents WHERE dedup_key = $1", [key]).rows.first?.decode("status", as: String.self)
        }
        #expect(try status() == "acknowledged")
        #expect(try await ingest.post("/api/v1/events", json: ["event_action": "resolve", "dedup_key": key]).status == 202)
        #expect(try status() == "resolved")
        let severity = try db.query("SELECT severity FROM incidents WHERE dedup_key = $1", [key]).rows[0].decode("severity", as: String.self)
        #expect(severity == "high")

        let missing = try await ingest.post("/api/v1/events", json: ["event_action": "trigger", "payload": ["summary": "x", "source": "y"]])
        #expect(missing.status == 400 || missing.status == 422)
        #expect(((missing.json["error"] as? [String: Any])?["message"] as? String)?.contains("severity") == true)
    }

    @Test func aStormOverTheRateLimitIs429WithRetryAfterAndWritesNothing() async throws {
        let h = try ServiceHarness()
        let ingest = TestClient(base: try h.start(.alertIngestion, env: ["INGEST_RATE_LIMIT": "5", "INGEST_RATE_BURST": "10"]))
        let ten = AlertmanagerPayload.webhook((0..<10).map { AlertmanagerPayload.alert("A\($0)") })
        #expect(try await ingest.post("/api/v1/alerts/alertmanager", json: ten).status == 200)
        let limited = try await ingest.post("/api/v1/alerts/alertmanager", json: ten)
        #expect(limited.status == 429)
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
        let message = (limited.json["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("5 alerts/s") && message.contains("INGEST_RATE_LIMIT"))
        #expect(try h.count("incidents") == 10)
    }

    @Test func aStormOfDistinctAlertsDoesNotBlockReaders() async throws {
        let h = try ServiceHarness()
        let ingest = TestClient(base: try h.start(.alertIngestion, env: ["INGEST_RATE_LIMIT": "0"]))
        let incidents = TestClient(base: try h.start(.incidentManagement))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in 0..<40 {
                group.addTask {
                    let alerts = (0..<25).map { AlertmanagerPayload.alert("Storm-\(batch)-\($0)") }
                    _ = try await ingest.post("/api/v1/alerts/alertmanager", json: AlertmanagerPayload.webhook(alerts))
                }
            }
            // Readers keep being answered while the storm is written.
            for _ in 0..<10 {
                let read = try await incidents.get("/api/v1/incidents?limit=5")
                #expect(read.status == 200)
            }
            try await group.waitForAll()
        }
        #expect(try h.count("incidents") == 1000)
    }
}
