import Foundation
import PostgresTestSupport
import Testing

@Suite("PostgreSQL restarted mid-run", .serialized)
struct DatabaseOutageTests {
    @Test func requestsAnswer503WhileTheDatabaseIsDownThenRecoverWithNothingLost() async throws {
        let server = try TestPostgresServer.start()
        defer { server.shutdown() }
        let h = try ServiceHarness(server: server)
        let api = TestClient(base: try h.start(.incidentManagement))
        let ingest = TestClient(base: try h.start(.alertIngestion))
        for i in 0..<3 {
            #expect(try await api.post("/api/v1/incidents", json: ["title": "before \(i)", "severity": "low"]).status == 201)
        }
        #expect(try await api.get("/ready").status == 200)

        try server.stop()
        let down = try await api.post("/api/v1/incidents", json: ["title": "during", "severity": "low"])
        #expect(down.status == 503)
        #expect((down.json["error"] as? [String: Any])?["code"] as? String == "database_unavailable")
        #expect(down.header("Retry-After") != nil)
        #expect(try await api.get("/ready").status == 503)
        #expect(try await api.get("/health").status == 200)
        #expect(try await ingest.post("/api/v1/alerts/alertmanager", json: AlertmanagerPayload.webhook([AlertmanagerPayload.alert("X")])).status == 503)

        try server.start()
        #expect(try await api.get("/ready").status == 200)
        #expect(try await api.post("/api/v1/incidents", json: ["title": "after", "severity": "low"]).status == 201)
        #expect(try await ingest.post("/api/v1/alerts/alertmanager", json: AlertmanagerPayload.webhook([AlertmanagerPayload.alert("X")])).status == 200)
        let titles = (try await api.get("/api/v1/incidents").json["incidents"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        #expect(Set(titles) == ["before 0", "before 1", "before 2", "after", "X"])
    }
}
