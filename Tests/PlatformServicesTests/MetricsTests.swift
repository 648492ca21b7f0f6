import Foundation
import Testing

@Suite("Service metrics", .serialized)
struct MetricsTests {
    /// The value of the sample `name{labels}` in a Prometheus text exposition.
    static func sample(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let seriesName = series.split(separator: "{").first.map(String.init) ?? ""
            guard seriesName == name else { continue }
            let hasLabels = labels.allSatisfy { series.contains("\($0.key)=\"\($0.value)\"") }
            if hasLabels { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }

    static func sum(_ text: String, _ name: String) -> Double {
        ["critical", "high", "medium", "low"].compactMap { sample(text, name, ["severity": $0]) }.reduce(0, +)
    }

    @Test func aScriptedScenarioGivesTheExpectedNumbersAlsoWithTwoReplicas() async throws {
        let h = try ServiceHarness()
        let replicas = [TestClient(base: try h.start(.incidentManagement)), TestClient(base: try h.start(.incidentManagement))]
        var ids: [Int] = []
        for (i, severity) in ["critical", "high", "critical"].enumerated() {
            let r = try await replicas[i % 2].post("/api/v1/incidents", json: ["title": "incident \(i)", "severity": severity])
            ids.append(try #require(r.json["id"] as? Int))
        }
        _ = try await replicas[0].post("/api/v1/incidents/\(ids[0])/acknowledge", json: ["by": "alice"])
        _ = try await replicas[1].post("/api/v1/incidents/\(ids[1])/resolve", json: ["by": "bob"])

        var expositions: [String] = []
        for replica in replicas {
            let r = try await replica.get("/metrics")
            #expect(r.status == 200)
            #expect(r.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            expositions.append(r.text)
        }
        for text in expositions {
            // Each replica reports the database's numbers: max across replicas is the truth, never the sum.
            #expect(Self.sum(text, "incidents_created_total") == 3)
            #expect(Self.sample(text, "incidents_created_total", ["severity": "critical"]) == 2)
            #expect(Self.sum(text, "incidents_open") == 2)
            #expect(Self.sample(text, "incidents_open", ["severity": "high"]) == 0)
            #expect(Self.sum(text, "incidents_resolved_total") == 1)
            #expect(Self.sample(text, "incident_time_to_acknowledge_seconds_count", ["severity": "critical"]) == 1)
            #expect(Self.sample(text, "incident_time_to_resolve_seconds_count", ["severity": "high"]) == 1)
            #expect(Self.sample(text, "incident_time_to_resolve_seconds_bucket", ["severity": "high", "le": "+Inf"]) == 1)
            #expect(text.contains("# TYPE incident_time_to_acknowledge_seconds histogram"))
        }
        // Request counters are per process: summed over the replicas they count every request once.
        let posts = expositions.map { Self.sample($0, "http_requests_total", ["service": "incident-management", "method": "POST", "code": "201"]) ?? 0 }
        #expect(posts.reduce(0, +) == 3)
        let requests = expositions.map { Self.sample($0, "http_request_duration_seconds_count", ["service": "incident-management", "method": "POST"]) ?? 0 }
        #expect(requests.reduce(0, +) == 5)
    }

    @Test func alertIngestionCountsAlertsBySource() async throws {
        let h = try ServiceHarness()
        let ingest = TestClient(base: try h.start(.alertIngestion))
        let payload = AlertmanagerPayload.webhook([AlertmanagerPayload.alert("A"), AlertmanagerPayload.alert("B")])
        _ = try await ingest.post("/api/v1/alerts/alertmanager", json: payload)
        _ = try await ingest.post("/api/v1/events", json: [
            "event_action": "trigger", "payload": ["summary": "x", "source": "y", "severity": "info"],
        ])
        let text = try await ingest.get("/metrics").text
        #expect(Self.sample(text, "alerts_received_total", ["source": "alertmanager"]) == 2)
        #expect(Self.sample(text, "alerts_received_total", ["source": "events"]) == 1)
        #expect(Self.sample(text, "incidents_open") == nil)  // incident metrics come from incident-management only
    }
}
