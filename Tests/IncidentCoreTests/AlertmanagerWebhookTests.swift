import Testing
@testable import IncidentCore

@Suite struct AlertmanagerWebhookTests {
    /// A payload as Alertmanager 0.27 sends it: one firing alert with a fingerprint, one resolved alert without.
    static let payload = #"""
    {
      "version": "4",
      "groupKey": "{}/{severity=~\"warning|critical\"}:{alertname=\"DiskFull\"}",
      "truncatedAlerts": 0,
      "status": "firing",
      "receiver": "incident-platform",
      "groupLabels": {"alertname": "DiskFull"},
      "commonLabels": {"alertname": "DiskFull", "job": "node"},
      "commonAnnotations": {},
      "externalURL": "http://alertmanager.monitoring:9093",
      "alerts": [
        {
          "status": "firing",
          "labels": {"alertname": "DiskFull", "instance": "db-1:9100", "job": "node", "severity": "warning"},
          "annotations": {"summary": "Disk on db-1 is 95% full", "description": "/var/lib/postgresql has 5% left",
                          "runbook_url": "https://runbooks.example.com/disk-full"},
          "startsAt": "2024-05-01T12:00:00.000Z",
          "endsAt": "0001-01-01T00:00:00Z",
          "generatorURL": "http://prometheus.monitoring:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=1",
          "fingerprint": "c4b8a3f2e1d09876"
        },
        {
          "status": "resolved",
          "labels": {"alertname": "DiskFull", "instance": "db-2:9100", "job": "node", "severity": "critical"},
          "annotations": {},
          "startsAt": "2024-05-01T11:00:00.000Z",
          "endsAt": "2024-05-01T12:30:00.000Z",
          "generatorURL": "http://prometheus.monitoring:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=1"
        }
      ]
    }
    """#

    @Test func realisticPayloadGivesOneSignalPerAlert() throws {
        let webhook = try AlertmanagerWebhook.parse(bytes(Self.payload))
        #expect(webhook.version == "4")
        #expect(webhook.receiver == "incident-platform")
        #expect(webhook.commonLabels == ["alertname": "DiskFull", "job": "node"])
        #expect(webhook.alerts.count == 2)
        #expect(webhook.signals == [
            AlertSignal(
                source: "alertmanager", dedupKey: "c4b8a3f2e1d09876", action: .trigger,
                title: "Disk on db-1 is 95% full", severity: .medium, description: "/var/lib/postgresql has 5% left",
                labels: ["alertname": "DiskFull", "instance": "db-1:9100", "job": "node", "severity": "warning"]),
            AlertSignal(
                // Python: sha256(b"alertname\xffDiskFull\xffinstance\xffdb-2:9100\xffjob\xffnode\xffseverity\xffcritical\xff")[:16]
                source: "alertmanager", dedupKey: "e87edfd8379e6a73", action: .resolve,
                title: "DiskFull", severity: .critical, description: "",
                labels: ["alertname": "DiskFull", "instance": "db-2:9100", "job": "node", "severity": "critical"]),
        ])
    }

    @Test func resolvedAlertsResolve() throws {
        let body = #"{"version":"4","status":"resolved","alerts":[{"status":"resolved","labels":{"alertname":"A"},"fingerprint":"f1"},{"status":"resolved","labels":{"alertname":"B"},"fingerprint":"f2"}]}"#
        let signals = try AlertmanagerWebhook.parse(bytes(body)).signals
        #expect(signals.map(\.action) == [.resolve, .resolve])
        #expect(signals.map(\.dedupKey) == ["f1", "f2"])
    }

    @Test func titleFallsBackToAlertnameThenToTheKey() throws {
        let body = #"{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"HighLatency"},"annotations":{"summary":"  "}},{"status":"firing","labels":{"job":"api"},"fingerprint":"abc"}]}"#
        let signals = try AlertmanagerWebhook.parse(bytes(body)).signals
        #expect(signals[0].title == "HighLatency")
        #expect(signals[0].dedupKey == DedupKey.fingerprint(of: ["alertname": "HighLatency"]))
        #expect(signals[1].title == "Alert abc")
        #expect(signals[1].severity == .medium)
    }

    @Test func emptyFingerprintFallsBackToTheLabels() throws {
        let body = #"{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A"},"fingerprint":""}]}"#
        #expect(try AlertmanagerWebhook.parse(bytes(body)).signals[0].dedupKey == DedupKey.fingerprint(of: ["alertname": "A"]))
    }

    @Test func longSummaryAndDescriptionAreCutNotRejected() throws {
        let summary = String(repeating: "s", count: 2000)
        let description = String(repeating: "d", count: 70000)
        let body = #"{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A"},"annotations":{"summary":"\#(summary)","description":"\#(description)"}}]}"#
        let signal = try AlertmanagerWebhook.parse(bytes(body)).signals[0]
        #expect(signal.title.count == InputLimits.titleLength)
        #expect(signal.description.count == InputLimits.descriptionLength)
    }

    @Test func emptyAlertListIsAllowed() throws {
        let webhook = try AlertmanagerWebhook.parse(bytes(#"{"version":"4","status":"resolved","alerts":[]}"#))
        #expect(webhook.signals.isEmpty)
    }

    @Test func thousandAlertsAreAllowed() throws {
        let alert = #"{"status":"firing","labels":{"alertname":"A"}}"#
        let body = #"{"version":"4","status":"firing","alerts":["# + Array(repeating: alert, count: 1000).joined(separator: ",") + "]}"
        #expect(try AlertmanagerWebhook.parse(bytes(body)).alerts.count == 1000)
    }
}
