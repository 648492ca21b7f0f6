import Testing
@testable import IncidentCore

@Suite struct PagerDutyEventTests {
    @Test func triggerWithEveryField() throws {
        let body = #"""
        {
          "routing_key": "e93facc04764012d7bfb002500d5d1a6",
          "event_action": "trigger",
          "dedup_key": "srv01/HTTP",
          "payload": {
            "summary": "Example alert on host1.example.com",
            "timestamp": "2015-07-17T08:42:58.315+0000",
            "source": "monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003",
            "severity": "info",
            "component": "postgres",
            "group": "prod-datapipe",
            "class": "deploy",
            "custom_details": {"ping time": "1500ms", "load avg": 0.75, "nested": {"b": true, "a": null}, "list": [1, "two\n"], "é": "ü"}
          },
          "links": [{"href": "https://example.com/", "text": "Link text"}]
        }
        """#
        let event = try PagerDutyEvent.parse(bytes(body))
        #expect(event.routingKey == "e93facc04764012d7bfb002500d5d1a6")
        #expect(event.action == .trigger)
        #expect(event.dedupKey == "srv01/HTTP")
        #expect(event.severity == .low)
        #expect(event.customDetailsJSON
                == #"{"list":[1,"two\n"],"load avg":0.75,"nested":{"a":null,"b":true},"ping time":"1500ms","é":"ü"}"#)
        #expect(event.signal(dedupKey: "generated") == AlertSignal(
            source: "events", dedupKey: "srv01/HTTP", action: .trigger, title: "Example alert on host1.example.com",
            severity: .low, description: event.customDetailsJSON!,
            labels: ["source": "monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003",
                     "component": "postgres", "group": "prod-datapipe", "class": "deploy"]))
    }

    @Test func triggerWithoutDedupKeyUsesTheCallersKey() throws {
        let body = #"{"event_action":"trigger","payload":{"summary":"CPU high","source":"web-1","severity":"critical"}}"#
        let event = try PagerDutyEvent.parse(bytes(body))
        #expect(event.dedupKey == nil)
        #expect(event.customDetailsJSON == nil)
        let signal = event.signal(dedupKey: "generated-1")
        #expect(signal.dedupKey == "generated-1")
        #expect(signal.severity == .critical)
        #expect(signal.labels == ["source": "web-1"])
        #expect(signal.description == "")
    }

    @Test(arguments: [("acknowledge", SignalAction.acknowledge), ("resolve", .resolve)])
    func acknowledgeAndResolveNeedOnlyTheKey(action: String, expected: SignalAction) throws {
        let event = try PagerDutyEvent.parse(bytes(#"{"routing_key":"r","event_action":"\#(action)","dedup_key":"srv01/HTTP"}"#))
        #expect(event.action == expected)
        #expect(event.signal(dedupKey: "ignored") == AlertSignal(
            source: "events", dedupKey: "srv01/HTTP", action: expected, title: "Event srv01/HTTP", severity: .medium,
            description: "", labels: [:]))
    }

    @Test(arguments: [("critical", Severity.critical), ("error", .high), ("warning", .medium), ("info", .low)])
    func severityOfATrigger(value: String, expected: Severity) throws {
        let body = #"{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"\#(value)"}}"#
        #expect(try PagerDutyEvent.parse(bytes(body)).severity == expected)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var body: String
        var kind: ValidationError.Kind
        var field: String
        var testDescription: String { field }
    }

    static let long = String(repeating: "x", count: 1025)
    static let badEvents: [Bad] = [
        Bad(body: #"{"dedup_key":"k"}"#, kind: .malformed, field: "event_action"),
        Bad(body: #"{"event_action":"snooze","dedup_key":"k"}"#, kind: .invalid, field: "event_action"),
        Bad(body: #"{"event_action":["trigger"]}"#, kind: .malformed, field: "event_action"),
        Bad(body: #"{"event_action":"trigger"}"#, kind: .malformed, field: "payload"),
        Bad(body: #"{"event_action":"trigger","payload":{"source":"x","severity":"info"}}"#, kind: .malformed, field: "payload.summary"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":"s","severity":"info"}}"#, kind: .malformed, field: "payload.source"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":"s","source":"x"}}"#, kind: .malformed, field: "payload.severity"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"high"}}"#, kind: .invalid, field: "payload.severity"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":3}}"#, kind: .malformed, field: "payload.severity"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":" ","source":"x","severity":"info"}}"#, kind: .invalid, field: "payload.summary"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":"s","source":"","severity":"info"}}"#, kind: .invalid, field: "payload.source"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":"\#(long)","source":"x","severity":"info"}}"#, kind: .invalid, field: "payload.summary"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info","component":"\#(long)"}}"#, kind: .invalid, field: "payload.component"),
        Bad(body: #"{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info","custom_details":{"log":"\#(String(repeating: "y", count: 70000))"}}}"#, kind: .invalid, field: "payload.custom_details"),
        Bad(body: #"{"event_action":"trigger","payload":[]}"#, kind: .malformed, field: "payload"),
        Bad(body: #"{"event_action":"acknowledge"}"#, kind: .malformed, field: "dedup_key"),
        Bad(body: #"{"event_action":"resolve","payload":{"summary":"s"}}"#, kind: .malformed, field: "dedup_key"),
        Bad(body: #"{"event_action":"resolve","dedup_key":""}"#, kind: .invalid, field: "dedup_key"),
        Bad(body: #"{"event_action":"resolve","dedup_key":"\#(String(repeating: "k", count: 256))"}"#, kind: .invalid, field: "dedup_key"),
        Bad(body: #"{"event_action":"resolve","dedup_key":12345}"#, kind: .malformed, field: "dedup_key"),
    ]

    @Test(arguments: badEvents)
    func badEventNamesTheField(_ bad: Bad) {
        let error = validationError { _ = try PagerDutyEvent.parse(bytes(bad.body)) }
        #expect(error?.kind == bad.kind)
        #expect(error?.field == bad.field)
        #expect(error?.message.contains(bad.field) == true)
    }

    @Test func dedupKeyOfTheMaximumLengthIsAccepted() throws {
        let key = String(repeating: "k", count: 255)
        #expect(try PagerDutyEvent.parse(bytes(#"{"event_action":"resolve","dedup_key":"\#(key)"}"#)).dedupKey == key)
    }
}
