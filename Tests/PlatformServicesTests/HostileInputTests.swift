import Foundation
import Testing

@Suite("Malformed and hostile input", .serialized)
struct HostileInputTests {
    static let longString = String(repeating: "x", count: 200_000)

    /// Bodies for POST /api/v1/incidents: each must be answered 4xx and change nothing.
    static let incidentBodies: [String] = [
        "",
        "not json",
        "[]",
        "null",
        "42",
        #"{"title": 5, "severity": "high"}"#,
        #"{"title": "x"}"#,
        #"{"severity": "high"}"#,
        #"{"title": "x", "severity": "catastrophic"}"#,
        #"{"title": "x", "severity": ["high"]}"#,
        #"{"title": "", "severity": "high"}"#,
        #"{"title": "   ", "severity": "low"}"#,
        #"{"title": "x", "severity": "high", "labels": ["a", "b"]}"#,
        #"{"title": "x", "severity": "high", "labels": {"team": 5}}"#,
        #"{"title": "x", "severity": "high", "labels": {"bad key": "v"}}"#,
        #"{"title": "\#(longString)", "severity": "high"}"#,
        #"{"title": "nul \u0000 byte", "severity": "high"}"#,
        #"{"title": "x", "severity": "high", "description": {"nested": {"deep": [1, 2, {"x": null}]}}}"#,
        #"{"title": "x", "severity": "high"'); DROP TABLE incidents; --"#,
        #"{"title": "\ud800 lone surrogate", "severity": "high"}"#,
        #"{"title": "x", "severity": "high", "labels": {\#((0..<200).map { "\"k\($0)\": \"v\"" }.joined(separator: ","))}}"#,
        #"{"title": "x", "severity": "high",,}"#,
    ]

    @Test func hostileIncidentBodiesAre4xxAndTheDatabaseIsUnchanged() async throws {
        let h = try ServiceHarness()
        let api = TestClient(base: try h.start(.incidentManagement))
        #expect(Self.incidentBodies.count >= 20)
        for body in Self.incidentBodies {
            let r = try await api.post("/api/v1/incidents", raw: body)
            #expect((400...499).contains(r.status), "body \(body.prefix(80)) answered \(r.status)")
            #expect(r.json["error"] is [String: Any], "body \(body.prefix(80)) answered \(r.text.prefix(200))")
        }
        // Invalid UTF-8 bytes.
        let bytes = try await api.request("POST", "/api/v1/incidents", body: Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]))
        #expect((400...499).contains(bytes.status))
        #expect(try h.count("incidents") == 0)
        #expect(try h.count("incident_events") == 0)
    }

    @Test func sqlMetacharactersAndUnicodeAreStoredVerbatim() async throws {
        let h = try ServiceHarness()
        let api = TestClient(base: try h.start(.incidentManagement))
        let title = "'; DROP TABLE incidents; -- \\ $1 %s 🚨 日本語 \"quoted\""
        let r = try await api.post("/api/v1/incidents", json: ["title": title, "severity": "low", "labels": ["team": "o'brien"]])
        #expect(r.status == 201)
        let id = try #require(r.json["id"] as? Int)
        let read = try await api.get("/api/v1/incidents/\(id)")
        #expect(read.json["title"] as? String == title)
        #expect(read.json["labels"] as? [String: String] == ["team": "o'brien"])
    }

    @Test func hostileAlertBodiesAre4xxAndWriteNothing() async throws {
        let h = try ServiceHarness()
        let ingest = TestClient(base: try h.start(.alertIngestion))
        let bodies: [String] = [
            "{}",
            #"{"version": "3", "status": "firing", "alerts": []}"#,
            #"{"version": "4", "status": "firing", "alerts": {}}"#,
            #"{"version": "4", "status": "firing", "alerts": [{"status": "burning", "labels": {}}]}"#,
            #"{"version": "4", "status": "firing", "alerts": [{"status": "firing", "labels": "alertname=x"}]}"#,
            #"{"version": "4", "status": "firing", "alerts": [{"status": "firing"}]}"#,
            #"{"event_action": "trigger"}"#,
        ]
        for body in bodies {
            let r = try await ingest.post("/api/v1/alerts/alertmanager", raw: body)
            #expect((400...499).contains(r.status), "body \(body) answered \(r.status)")
        }
        for body in [#"{"event_action": "explode"}"#, #"{"event_action": "resolve"}"#, "[1]", #"{"event_action": "trigger", "payload": {"summary": "x", "source": "y", "severity": "fatal"}}"#] {
            let r = try await ingest.post("/api/v1/events", raw: body)
            #expect((400...499).contains(r.status), "body \(body) answered \(r.status)")
        }
        #expect(try h.count("incidents") == 0)
    }

    @Test func aBodyOverOneMebibyteIs413AsJSON() async throws {
        let h = try ServiceHarness()
        let api = TestClient(base: try h.start(.incidentManagement))
        let big = #"{"title": "x", "severity": "low", "description": ""# + String(repeating: "a", count: (1 << 20) + 10) + "\"}"
        let r = try await api.post("/api/v1/incidents", raw: big)
        #expect(r.status == 413)
        #expect((r.json["error"] as? [String: Any])?["code"] as? String == "body_too_large")
        #expect(try h.count("incidents") == 0)
    }
}
