import Testing
import KubeCore
@testable import KubeSandbox

@Suite struct SemanticsMergePatchTests {
    @Test func rfc7386Examples() throws {
        // The test cases of RFC 7386 appendix A.
        let cases: [(String, String, String)] = [
            (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
            (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
            (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
            (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
            (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
            (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
            (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
            (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
            (#"{"a":"foo"}"#, #"null"#, #"null"#),
            (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
            (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
            (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
            (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        ]
        for (target, patch, expected) in cases {
            let result = MergePatch.apply(try JSONValue(json: patch), to: try JSONValue(json: target))
            #expect(result == (try JSONValue(json: expected)), "\(target) + \(patch)")
        }
    }

    @Test func labelPatchLikeKubectl() {
        let cm: JSONValue = ["metadata": ["name": "c", "labels": ["a": "1", "b": "2"]], "data": ["k": "v"]]
        let result = MergePatch.apply(["metadata": ["labels": ["a": nil, "c": "3"]]], to: cm)
        #expect(result["metadata", "labels"] == ["b": "2", "c": "3"])
        #expect(result["data"] == ["k": "v"])
    }
}

@Suite struct SemanticsJSONPatchTests {
    func patch(_ ops: String, _ doc: String) throws -> JSONValue {
        try JSONPatch.apply(try JSONValue(json: ops), to: try JSONValue(json: doc))
    }

    @Test func addReplaceRemove() throws {
        let r = try patch(#"[{"op":"add","path":"/b","value":2},{"op":"replace","path":"/a","value":"x"},{"op":"remove","path":"/c"}]"#,
                          #"{"a":1,"c":3}"#)
        #expect(r == ["a": "x", "b": 2])
    }

    @Test func arrayIndicesAndDash() throws {
        let r = try patch(#"[{"op":"add","path":"/l/1","value":"m"},{"op":"add","path":"/l/-","value":"z"},{"op":"remove","path":"/l/0"}]"#,
                          #"{"l":["a","b"]}"#)
        #expect(r == ["l": ["m", "b", "z"]])
    }

    @Test func pointerEscapes() throws {
        let r = try patch(#"[{"op":"add","path":"/metadata/labels/app.kubernetes.io~1name","value":"web"},{"op":"replace","path":"/a~0b","value":1}]"#,
                          #"{"metadata":{"labels":{}},"a~b":0}"#)
        #expect(r["metadata", "labels", "app.kubernetes.io/name"] == "web")
        #expect(r["a~b"] == 1)
    }

    @Test func moveCopyAndTest() throws {
        let r = try patch(#"[{"op":"test","path":"/a/n","value":1.0},{"op":"copy","from":"/a","path":"/b"},{"op":"move","from":"/a/n","path":"/c"}]"#,
                          #"{"a":{"n":1}}"#)
        #expect(r == ["a": [:], "b": ["n": 1], "c": 1])
    }

    @Test func wholeDocumentReplace() throws {
        #expect(try patch(#"[{"op":"replace","path":"","value":[1]}]"#, #"{"a":1}"#) == [1])
    }

    @Test func failedTestIs422AndLeavesNothingApplied() throws {
        let error = try #require(throws: APIStatus.self) {
            try patch(#"[{"op":"add","path":"/x","value":1},{"op":"test","path":"/a","value":2}]"#, #"{"a":1}"#)
        }
        #expect(error.code == 422)
        #expect(error.reason == .invalid)
        #expect(error.message == "the server rejected our request due to an error in our request")
        #expect(error.details?["causes"]?.arrayValue?.first?["message"] == "testing value /a failed: test failed")
    }

    @Test func missingPathsAre422() throws {
        for ops in [#"[{"op":"remove","path":"/nope"}]"#, #"[{"op":"replace","path":"/nope","value":1}]"#,
                    #"[{"op":"add","path":"/x/y","value":1}]"#, #"[{"op":"add","path":"/l/5","value":1}]"#,
                    #"[{"op":"remove","path":"/l/-"}]"#, #"[{"op":"copy","from":"/nope","path":"/a"}]"#,
                    #"[{"op":"move","from":"/l","path":"/l/0"}]"#, #"[{"op":"frob","path":"/a"}]"#,
                    #"[{"op":"add","path":"a","value":1}]"#] {
            let error = try #require(throws: APIStatus.self, "\(ops)") { try patch(ops, #"{"a":1,"l":[0]}"#) }
            #expect(error.code == 422, "\(ops)")
        }
    }

    @Test func malformedPatchIs400() throws {
        let error = try #require(throws: APIStatus.self) { try patch(#"{"op":"add"}"#, "{}") }
        #expect(error.code == 400)
        #expect(error.reason == .badRequest)
        let element = try #require(throws: APIStatus.self) { try patch(#"[1]"#, "{}") }
        #expect(element.code == 400)
    }
}
