import Testing
@testable import KubeCore

@Suite struct JSONValueTests {
    @Test func parsesEveryJSONType() throws {
        let v = try JSONValue(json: #"{"a": [1, -2.5, true, false, null, "x\n\u00e9\ud83d\ude00"], "b": {"c": 3e2}}"#)
        #expect(v["a"] == [1, -2.5, true, false, nil, "x\né😀"])
        #expect(v["b", "c"] == .double(300))
    }

    @Test func integersStayIntegers() throws {
        let v = try JSONValue(json: "[1, 1.0, 9007199254740993]")
        #expect(v == [.int(1), .double(1), .int(9007199254740993)])
        #expect(v.jsonString() == "[1,1.0,9007199254740993]")
    }

    @Test func serializationSortsKeysAndEscapes() {
        let v: JSONValue = ["b": "q\"uote\\", "a": ["\u{01}", "tab\t"]]
        #expect(v.jsonString() == #"{"a":["\u0001","tab\t"],"b":"q\"uote\\"}"#)
    }

    @Test func roundTrips() throws {
        let v: JSONValue = ["metadata": ["name": "x", "labels": ["a": "b"]], "n": 5, "f": 0.25, "e": [], "o": [:]]
        #expect(try JSONValue(json: v.jsonString()) == v)
        #expect(try JSONValue(json: v.prettyJSONString()) == v)
    }

    @Test(arguments: [
        ("{", 1, 2), ("[1,]", 1, 4), ("{\"a\" 1}", 1, 6), ("\n  tru", 2, 3), ("[1] x", 1, 5), ("\"\\q\"", 1, 4),
    ])
    func reportsLineAndColumn(text: String, line: Int, column: Int) {
        #expect(throws: JSONParseError.self) { try JSONValue(json: text) }
        do { _ = try JSONValue(json: text) } catch let e as JSONParseError {
            #expect(e.line == line)
            #expect(e.column == column)
        } catch { Issue.record("unexpected error \(error)") }
    }

    @Test func rejectsHostileNesting() {
        let deep = String(repeating: "[", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue(json: deep) }
    }

    @Test func pathSubscriptCreatesAndRemoves() {
        var v: JSONValue = [:]
        v["metadata", "labels", "app"] = "web"
        #expect(v == ["metadata": ["labels": ["app": "web"]]])
        v["metadata", "labels", "app"] = nil
        #expect(v == ["metadata": ["labels": [:]]])
    }
}
