import Testing
@testable import IncidentCore

@Suite struct RequestParsingTests {
    @Test func newIncidentWithEveryField() throws {
        let body = #"{"title":"  Checkout is failing \n","severity":"critical","description":"5xx > 20%","labels":{"team":"payments","app.kubernetes.io/name":"checkout"}}"#
        #expect(try NewIncident.parse(bytes(body)) == NewIncident(
            title: "Checkout is failing", severity: .critical, description: "5xx > 20%",
            labels: ["team": "payments", "app.kubernetes.io/name": "checkout"]))
    }

    @Test func newIncidentDefaults() throws {
        #expect(try NewIncident.parse(bytes(#"{"title":"t","severity":"low","description":null}"#))
                == NewIncident(title: "t", severity: .low, description: "", labels: [:]))
    }

    @Test func newIncidentAtTheLimits() throws {
        let labels = (0..<64).map { #""l\#($0)":"\#(String(repeating: "v", count: 1024))""# }.joined(separator: ",")
        let name = "_" + String(repeating: "n", count: 127)
        let body = #"{"title":"\#(String(repeating: "é", count: 500))","severity":"high","description":"\#(String(repeating: "d", count: 65536))","labels":{\#(labels)}}"#
        let incident = try NewIncident.parse(bytes(body))
        #expect(incident.labels.count == 64)
        #expect(try NewIncident.parse(bytes(#"{"title":"t","severity":"high","labels":{"\#(name)":""}}"#)).labels == [name: ""])
    }

    @Test func unknownSeverityListsTheAllowedValues() {
        let error = validationError { _ = try NewIncident.parse(bytes(#"{"title":"t","severity":"urgent"}"#)) }
        #expect(error == ValidationError(kind: .invalid, field: "severity",
                                         message: #"severity must be one of critical, high, medium or low, not "urgent""#))
    }

    @Test func titleLengthCountsUnicodeScalarsLikePostgreSQL() {
        // "é" written as e + COMBINING ACUTE ACCENT: 1 character to Swift, 2 to PostgreSQL's char_length.
        let title = String(repeating: "e\u{301}", count: 300)
        let error = validationError { _ = try NewIncident.parse(bytes(#"{"title":"\#(title)","severity":"low"}"#)) }
        #expect(error?.kind == .invalid)
        #expect(error?.field == "title")
    }

    @Test(arguments: ["", " ", "\n\t "])
    func transitionWithoutBodyHasNoFields(body: String) throws {
        #expect(try TransitionRequest.parse(bytes(body)) == TransitionRequest(by: nil, note: nil))
    }

    @Test func transitionFields() throws {
        #expect(try TransitionRequest.parse(bytes("{}")) == TransitionRequest())
        #expect(try TransitionRequest.parse(bytes(#"{"by":" ann ","note":"rolled back 1.4.2"}"#))
                == TransitionRequest(by: "ann", note: "rolled back 1.4.2"))
        #expect(try TransitionRequest.parse(bytes(#"{"by":"  ","note":""}"#)) == TransitionRequest())
        #expect(try TransitionRequest.parse(bytes(#"{"by":null}"#)) == TransitionRequest())
    }

    @Test func noteFields() throws {
        #expect(try NoteRequest.parse(bytes(#"{"by":"ann","text":"  looking into it\n"}"#)) == NoteRequest(by: "ann", text: "looking into it"))
        let text = String(repeating: "t", count: 16384)
        #expect(try NoteRequest.parse(bytes(#"{"by":"ann","text":"\#(text)"}"#)).text == text)
    }

    @Test func inputDecoderDecodesAnyDecodable() throws {
        struct Pair: Decodable, Equatable { var a: String; var b: [Bool] }
        #expect(try InputDecoder.decode(Pair.self, from: bytes(#"{"a":"x","b":[true,false]}"#)) == Pair(a: "x", b: [true, false]))
        let error = validationError { _ = try InputDecoder.decode(Pair.self, from: bytes(#"{"a":"x","b":[true,"no"]}"#)) }
        #expect(error == ValidationError(kind: .malformed, field: "b[1]", message: "b[1] must be true or false, not a string"))
    }
}
