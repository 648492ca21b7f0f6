import Testing

@testable import KubeCore

/// The exact text the emitter writes.
@Suite struct YAMLEmitterTests {
    @Test func kubernetesObjectInKeyOrderWithKubectlStyleSequences() {
        let deployment: JSONValue = [
            "status": ["replicas": 1],
            "spec": [
                "template": [
                    "spec": ["containers": [["name": "web", "ports": [["containerPort": 8080]], "args": []]]]
                ],
                "replicas": 2,
            ],
            "metadata": ["name": "web", "labels": ["b": "2", "a": "1"], "annotations": [:]],
            "kind": "Deployment",
            "apiVersion": "apps/v1",
            "data": ["Z": "z", "a": "a", "_": "_"],
        ]
        #expect(
            YAML.emit(deployment) == """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  annotations: {}
                  labels:
                    a: '1'
                    b: '2'
                  name: web
                spec:
                  replicas: 2
                  template:
                    spec:
                      containers:
                      - args: []
                        name: web
                        ports:
                        - containerPort: 8080
                data:
                  Z: z
                  _: _
                  a: a
                status:
                  replicas: 1

                """)
    }

    @Test func nestedSequencesAndEmptyCollections() {
        let value: JSONValue = [[1, [2, 3]], [:], [], ["a": [["b": []]]], nil]
        #expect(
            YAML.emit(value) == """
                - - 1
                  - - 2
                    - 3
                - {}
                - []
                - a:
                  - b: []
                - null

                """)
    }

    @Test(arguments: [
        ("plain", "plain"), ("with space", "with space"), ("", "''"), (" lead", "' lead'"), ("trail ", "'trail '"),
        ("yes", "'yes'"), ("No", "'No'"), ("on", "'on'"), ("y", "'y'"), ("N", "'N'"), ("true", "'true'"),
        ("null", "'null'"), ("~", "'~'"), ("0755", "'0755'"), ("08", "'08'"), ("1e3", "'1e3'"), (".5", "'.5'"),
        ("1_000", "'1_000'"), ("1:20", "'1:20'"), ("2024-01-02", "'2024-01-02'"), ("12:30", "'12:30'"),
        (".inf", "'.inf'"), ("-.NaN", "'-.NaN'"), ("=", "'='"), ("<<", "'<<'"), ("-x", "'-x'"), ("?x", "'?x'"),
        (":x", "':x'"), ("#x", "'#x'"), ("&x", "'&x'"), ("*x", "'*x'"), ("!x", "'!x'"), ("|x", "'|x'"),
        (">x", "'>x'"), ("'x", "'''x'"), ("\"x", "'\"x'"), ("%x", "'%x'"), ("@x", "'@x'"), ("`x", "'`x'"),
        ("[x", "'[x'"), ("{x", "'{x'"), (",x", "',x'"), ("a: b", "'a: b'"), ("a #b", "'a #b'"), ("a:", "'a:'"),
        ("a:b", "a:b"), ("a#b", "a#b"), ("it's", "it's"), ("---", "'---'"), ("...", "'...'"),
        ("http://x:8080/p", "http://x:8080/p"), ("postgres:16-alpine", "postgres:16-alpine"), ("10Gi", "'10Gi'"),
        ("500m", "'500m'"), ("15s", "'15s'"), ("16-alpine", "'16-alpine'"), ("1d", "'1d'"),
        ("2001-12-14 21:59:43.10 -5", "'2001-12-14 21:59:43.10 -5'"), ("0o17", "'0o17'"), ("0b1", "'0b1'"),
        ("1E+3", "'1E+3'"), ("12:30:45.5", "'12:30:45.5'"), ("2001-12-14T21:59:43Z", "'2001-12-14T21:59:43Z'"),
        ("tab\there", "\"tab\\there\""), ("nul\u{0}", "\"nul\\0\""), ("bell\u{7}", "\"bell\\a\""),
        ("del\u{7F}", "\"del\\x7F\""), ("nel\u{85}", "\"nel\\N\""), ("ls\u{2028}", "\"ls\\L\""),
        ("bom\u{FEFF}", "\"bom\\uFEFF\""), ("cr\r", "\"cr\\r\""), ("é日😀", "é日😀"), ("q\"\\", "q\"\\"),
    ])
    func stringQuoting(string: String, expected: String) {
        #expect(YAML.emit(["k": .string(string)]) == "k: \(expected)\n")
    }

    @Test func multiLineStringsAreLiteralBlocks() {
        #expect(YAML.emit(["a": "one\ntwo\n"]) == "a: |\n  one\n  two\n")
        #expect(YAML.emit(["a": "one\n\ntwo"]) == "a: |-\n  one\n\n  two\n")
        #expect(YAML.emit(["a": "  indented\nfirst\n"]) == "a: |2\n    indented\n  first\n")
        #expect(YAML.emit(["a": ["\n indented after empty"]]) == "a:\n- |2-\n\n   indented after empty\n")
        #expect(YAML.emit("top\nlevel\n") == "|\n  top\n  level\n")
        #expect(YAML.emit(["a": ["b": ["x\ny"]]]) == "a:\n  b:\n  - |-\n    x\n    y\n")
    }

    @Test func multiLineStringsThatALiteralBlockCannotHoldAreDoubleQuoted() {
        #expect(YAML.emit(["a": "two newlines\n\n"]) == "a: \"two newlines\\n\\n\"\n")
        #expect(YAML.emit(["a": "trailing \nspace"]) == "a: \"trailing \\nspace\"\n")
        #expect(YAML.emit(["a": "\n"]) == "a: \"\\n\"\n")
        #expect(YAML.emit(["a": "\tx\ny"]) == "a: \"\\tx\\ny\"\n")
        #expect(YAML.emit(["multi\nline key": 1]) == "\"multi\\nline key\": 1\n")
    }

    @Test func numbersReadBackAsTheSameType() {
        #expect(
            YAML.emit([1, -2, 1.0, -0.5, 1e20, 1.5e-7, 123456.789]) == """
                - 1
                - -2
                - 1.0
                - -0.5
                - 1.0e+20
                - 1.5e-07
                - 123456.789

                """)
        #expect(YAML.emit([.double(.infinity), .double(-.infinity), .double(.nan)]) == "- .inf\n- -.inf\n- .nan\n")
        #expect(YAML.emit([true, false, nil]) == "- true\n- false\n- null\n")
    }

    @Test func topLevelScalarsAndEmptyCollections() {
        #expect(YAML.emit("x") == "x\n")
        #expect(YAML.emit(.null) == "null\n")
        #expect(YAML.emit([:]) == "{}\n")
        #expect(YAML.emit([]) == "[]\n")
        #expect(YAML.emit(42) == "42\n")
    }

    @Test func documentsAreSeparated() throws {
        let text = YAML.emitDocuments([["a": 1], "b", [2]])
        #expect(text == "a: 1\n---\nb\n---\n- 2\n")
        #expect(try YAML.parseDocuments(text) == [["a": 1], "b", [2]])
        #expect(YAML.emitDocuments([]) == "")
    }

    @Test func outputIsDeterministic() {
        var o: [String: JSONValue] = [:]
        for i in 0..<200 { o["key\(i)"] = .int(i) }
        let first = YAML.emit(.object(o))
        var copy: [String: JSONValue] = [:]
        for i in (0..<200).reversed() { copy["key\(i)"] = .int(i) }
        #expect(YAML.emit(.object(copy)) == first)
    }

    @Test func keysSortByUnicodeCodePoint() {
        #expect(YAML.emit(["é": 1, "z": 2, "B": 3, "a": 4, "😀": 5, "日": 6]) == "B: 3\na: 4\nz: 2\né: 1\n日: 6\n😀: 5\n")
    }
}
