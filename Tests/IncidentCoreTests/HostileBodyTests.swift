import Testing
@testable import IncidentCore

/// Malformed and hostile bodies: each must give one `ValidationError` of the right kind, naming the right field.
@Suite struct HostileBodyTests {
    enum Endpoint: String, Sendable {
        case newIncident, transition, note, alertmanager, pagerDuty

        func parse(_ body: [UInt8]) throws {
            switch self {
            case .newIncident: _ = try NewIncident.parse(body)
            case .transition: _ = try TransitionRequest.parse(body)
            case .note: _ = try NoteRequest.parse(body)
            case .alertmanager: _ = try AlertmanagerWebhook.parse(body)
            case .pagerDuty: _ = try PagerDutyEvent.parse(body)
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var endpoint: Endpoint
        var body: [UInt8]
        var kind: ValidationError.Kind
        var field: String
        var testDescription: String { name }

        init(_ name: String, _ endpoint: Endpoint, _ body: String, _ kind: ValidationError.Kind, _ field: String) {
            self.init(name, endpoint, Array(body.utf8), kind, field)
        }

        init(_ name: String, _ endpoint: Endpoint, _ body: [UInt8], _ kind: ValidationError.Kind, _ field: String) {
            self.name = name
            self.endpoint = endpoint
            self.body = body
            self.kind = kind
            self.field = field
        }
    }

    static let huge = String(repeating: "A", count: 1_000_000)
    static let tenThousandLabels = "{" + (0..<10_000).map { #""l\#($0)":"v""# }.joined(separator: ",") + "}"
    static let deepArray = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    static func alert(_ labels: String, status: String = "firing", extra: String = "") -> String {
        #"{"status":"\#(status)","labels":\#(labels)\#(extra)}"#
    }
    static func webhook(_ alerts: [String], version: String = #""4""#) -> String {
        #"{"version":\#(version),"status":"firing","alerts":[\#(alerts.joined(separator: ","))]}"#
    }

    static let cases: [Case] = [
        // Not JSON at all.
        Case("plain text", .newIncident, "title=DB down&severity=high", .malformed, ""),
        Case("empty body", .newIncident, "", .malformed, ""),
        Case("truncated JSON", .newIncident, #"{"title":"DB down","severity":"hi"#, .malformed, ""),
        Case("trailing garbage", .note, #"{"by":"a","text":"b"} {"#, .malformed, ""),
        Case("invalid UTF-8 bytes", .newIncident, Array(#"{"title":""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#"","severity":"low"}"#.utf8), .malformed, ""),
        Case("lone surrogate escape", .newIncident, #"{"title":"\ud800","severity":"low"}"#, .malformed, ""),
        Case("nesting 10000 deep", .newIncident, #"{"title":"t","severity":"low","x":\#(deepArray)}"#, .malformed, ""),
        // The wrong JSON type at the top.
        Case("array instead of object", .newIncident, #"[{"title":"t","severity":"low"}]"#, .malformed, ""),
        Case("string instead of object", .transition, #""acknowledge""#, .malformed, ""),
        Case("null body", .note, "null", .malformed, ""),
        Case("number body", .pagerDuty, "42", .malformed, ""),
        // The wrong JSON type in a field.
        Case("title is a number", .newIncident, #"{"title":42,"severity":"low"}"#, .malformed, "title"),
        Case("title is null", .newIncident, #"{"title":null,"severity":"low"}"#, .malformed, "title"),
        Case("severity is a number", .newIncident, #"{"title":"t","severity":1}"#, .malformed, "severity"),
        Case("labels is an array", .newIncident, #"{"title":"t","severity":"low","labels":["team=db"]}"#, .malformed, "labels"),
        Case("label value is a number", .newIncident, #"{"title":"t","severity":"low","labels":{"replicas":3}}"#, .malformed, "labels.replicas"),
        Case("label value is nested garbage", .newIncident, #"{"title":"t","severity":"low","labels":{"a":{"b":[1,{"c":null}]}}}"#, .malformed, "labels.a"),
        Case("by is a number", .transition, #"{"by":42}"#, .malformed, "by"),
        Case("version is a number, not a string", .alertmanager, webhook([], version: "4"), .malformed, "version"),
        Case("alerts is an object", .alertmanager, #"{"version":"4","status":"firing","alerts":{"0":{}}}"#, .malformed, "alerts"),
        Case("alert labels is a string", .alertmanager, webhook([alert(#""alertname=A""#)]), .malformed, "alerts[0].labels"),
        Case("alert status is a boolean", .alertmanager, webhook([alert("{}"), #"{"status":true,"labels":{}}"#]), .malformed, "alerts[1].status"),
        // Missing fields.
        Case("title missing", .newIncident, #"{"severity":"low"}"#, .malformed, "title"),
        Case("severity missing", .newIncident, #"{"title":"t"}"#, .malformed, "severity"),
        Case("note text missing", .note, #"{"by":"ann"}"#, .malformed, "text"),
        Case("alerts missing", .alertmanager, #"{"version":"4","status":"firing"}"#, .malformed, "alerts"),
        Case("alert labels missing", .alertmanager, webhook([#"{"status":"firing"}"#]), .malformed, "alerts[0].labels"),
        // Well-formed but breaking a rule.
        Case("blank title", .newIncident, #"{"title":" \t ","severity":"low"}"#, .invalid, "title"),
        Case("huge title", .newIncident, #"{"title":"\#(huge)","severity":"low"}"#, .invalid, "title"),
        Case("huge description", .newIncident, #"{"title":"t","severity":"low","description":"\#(huge)"}"#, .invalid, "description"),
        Case("unknown severity", .newIncident, #"{"title":"t","severity":"sev1"}"#, .invalid, "severity"),
        Case("label name with a space", .newIncident, #"{"title":"t","severity":"low","labels":{"team name":"db"}}"#, .invalid, "labels"),
        Case("label name starting with a digit", .newIncident, #"{"title":"t","severity":"low","labels":{"1team":"db"}}"#, .invalid, "labels"),
        Case("empty label name", .newIncident, #"{"title":"t","severity":"low","labels":{"":"db"}}"#, .invalid, "labels"),
        Case("label name of 129 characters", .newIncident, #"{"title":"t","severity":"low","labels":{"\#(String(repeating: "n", count: 129))":"v"}}"#, .invalid, "labels"),
        Case("huge label value", .newIncident, #"{"title":"t","severity":"low","labels":{"team":"\#(String(repeating: "v", count: 1025))"}}"#, .invalid, "labels"),
        Case("10k labels", .newIncident, #"{"title":"t","severity":"low","labels":\#(tenThousandLabels)}"#, .invalid, "labels"),
        Case("65 labels", .newIncident, #"{"title":"t","severity":"low","labels":{\#((0..<65).map { #""l\#($0)":"v""# }.joined(separator: ","))}}"#, .invalid, "labels"),
        Case("huge by", .transition, #"{"by":"\#(String(repeating: "b", count: 257))"}"#, .invalid, "by"),
        Case("huge transition note", .transition, #"{"note":"\#(String(repeating: "n", count: 16385))"}"#, .invalid, "note"),
        Case("blank note text", .note, #"{"by":"ann","text":"   "}"#, .invalid, "text"),
        Case("note text too long", .note, #"{"by":"ann","text":"\#(String(repeating: "n", count: 16385))"}"#, .invalid, "text"),
        Case("blank note author", .note, #"{"by":"","text":"hi"}"#, .invalid, "by"),
        Case("webhook version 3", .alertmanager, webhook([], version: #""3""#), .invalid, "version"),
        Case("webhook status unknown", .alertmanager, #"{"version":"4","status":"pending","alerts":[]}"#, .invalid, "status"),
        Case("alert status pending", .alertmanager, webhook([alert("{}"), alert("{}", status: "pending")]), .invalid, "alerts[1].status"),
        Case("alert label name with a space", .alertmanager, webhook([alert(#"{"alert name":"A"}"#)]), .invalid, "alerts[0].labels"),
        Case("alert with 10k labels", .alertmanager, webhook([alert(tenThousandLabels)]), .invalid, "alerts[0].labels"),
        Case("alert fingerprint too long", .alertmanager, webhook([alert("{}", extra: #","fingerprint":"\#(String(repeating: "f", count: 256))""#)]), .invalid, "alerts[0].fingerprint"),
        Case("1001 alerts", .alertmanager, webhook(Array(repeating: alert("{}"), count: 1001)), .invalid, "alerts"),
        // NUL anywhere: PostgreSQL text cannot hold it.
        Case("NUL in title", .newIncident, #"{"title":"DB\u0000down","severity":"low"}"#, .invalid, "title"),
        Case("NUL in note text", .note, #"{"by":"ann","text":"\u0000"}"#, .invalid, "text"),
        Case("NUL in label name", .newIncident, #"{"title":"t","severity":"low","labels":{"te\u0000am":"db"}}"#, .invalid, #"labels["te\u0000am"]"#),
        Case("NUL in alert annotation", .alertmanager, webhook([alert("{}", extra: #","annotations":{"summary":"x\u0000"}"#)]), .invalid, "alerts[0].annotations.summary"),
        Case("NUL in PagerDuty custom details", .pagerDuty, #"{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info","custom_details":{"lines":["ok","\u0000"]}}}"#, .invalid, "payload.custom_details.lines[1]"),
    ]

    @Test(arguments: cases)
    func rejected(_ hostile: Case) {
        let error = validationError { try hostile.endpoint.parse(hostile.body) }
        #expect(error?.kind == hostile.kind)
        #expect(error?.field == hostile.field)
        if let error {
            // The message names the field (or the body) and stays short however big the input is.
            #expect(error.message.contains(hostile.field.isEmpty ? "request body" : hostile.field))
            #expect(error.message.count < 400)
        }
    }

    @Test func notJSONSaysWhatToCheck() {
        let error = validationError { _ = try NewIncident.parse(bytes(#"{"title":"t" "severity":"low"}"#)) }
        #expect(error?.message == "request body is not valid JSON: check the quotes, commas, brackets and that the text is UTF-8")
        #expect(error?.kind == .malformed)
        let wrongType = validationError { _ = try NewIncident.parse(bytes("[]")) }
        #expect(wrongType?.message == "the request body must be an object, not an array")
    }

    @Test(arguments: [#"{"title":"ok","severity":"low","title":"\u0000"}"#, #"{"title":"\u0000","severity":"low","title":"ok"}"#])
    func duplicateKeysCannotSmuggleNUL(body: String) {
        do {
            let incident = try NewIncident.parse(bytes(body))
            #expect(!incident.title.unicodeScalars.contains("\u{0}"))
        } catch {
            #expect(error.kind == .invalid)
            #expect(error.field == "title")
        }
    }
}
