import Testing

@testable import KubeCore

/// Every construct the parser reads, with hand-written expectations.
@Suite struct YAMLParserTests {
    @Test func blockMappingsAndSequences() throws {
        let text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels:
                app: web
            spec:
              containers:
              - name: a
                args:
                  - x
                  - y
              - name: b
            """
        let v = try YAML.parse(text)
        #expect(
            v == [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web", "labels": ["app": "web"]],
                "spec": ["containers": [["name": "a", "args": ["x", "y"]], ["name": "b"]]],
            ])
    }

    @Test func kubectlStyleSequencesAtTheKeyIndentation() throws {
        let v = try YAML.parse("a:\n- 1\n- 2\nb:\n- c: 1\n  d: 2\n- e\n")
        #expect(v == ["a": [1, 2], "b": [["c": 1, "d": 2], "e"]])
    }

    @Test func compactNestedSequences() throws {
        #expect(try YAML.parse("- - a\n  - b\n- - - c\n-\n- d\n") == [["a", "b"], [["c"]], nil, "d"])
    }

    @Test func emptyValuesAreNull() throws {
        #expect(
            try YAML.parse("a:\nb: # comment\nc:\n  # only a comment\nd: 1\n") == [
                "a": nil, "b": nil, "c": nil, "d": 1,
            ])
    }

    @Test func scalarResolutionFollowsYAML11() throws {
        let v = try YAML.parse(
            """
            [~, null, Null, NULL, true, True, yes, NO, on, Off, y, n, 0, -7, +7, 1_000, 0x1F, 0b101, 0755, 08, 0o17,
             1:20, 1.5, 1., .5, -1.5e+3, 1e3, 1.0e3, .inf, -.INF, 2001-12-14, 12:30:45, '123', "true"]
            """)
        #expect(
            v == [
                nil, nil, nil, nil, true, true, true, false, true, false, "y", "n", 0, -7, 7, 1000, 31, 5, 493, "08",
                "0o17", 80, 1.5, 1.0, 0.5, -1500.0, "1e3", "1.0e3", .double(.infinity), .double(-.infinity),
                "2001-12-14", 45045, "123", "true",
            ])
        #expect(try YAML.parse(".nan").doubleValue?.isNaN == true)
        #expect(try YAML.parse("9223372036854775807") == .int(Int.max))
        #expect(try YAML.parse("99999999999999999999") == .double(1e20))
    }

    @Test func quotedScalars() throws {
        let v = try YAML.parse(
            #"""
            - 'it''s # not a comment'
            - "tab\tnewline\nquote\"backslash\\slash\/"
            - "\x41\u00e9\U0001F600\ud83d\ude00"
            - "\0\a\b\e\f\r\v\N\_\L\P\ "
            - 'folded
              line

              paragraph'
            - "escaped \
              break"
            """#)
        #expect(
            v == [
                "it's # not a comment", "tab\tnewline\nquote\"backslash\\slash/", "Aé😀😀",
                "\u{0}\u{7}\u{8}\u{1B}\u{C}\r\u{B}\u{85}\u{A0}\u{2028}\u{2029} ", "folded line\nparagraph",
                "escaped break",
            ])
    }

    @Test func multiLinePlainScalarsFold() throws {
        let v = try YAML.parse("description: first line\n  second line\n\n  after empty\n    indented more\nnext: x\n")
        #expect(v == ["description": "first line second line\nafter empty indented more", "next": "x"])
    }

    @Test func commentsAndHashesInsideValues() throws {
        let v = try YAML.parse(
            "# head\na: b#c # comment\nurl: http://h:1/p#frag\n  # indented comment\nc: 'x' # after quote\n")
        #expect(v == ["a": "b#c", "url": "http://h:1/p#frag", "c": "x"])
    }

    @Test func literalBlocksWithChomping() throws {
        let v = try YAML.parse("clip: |\n  a\n   b\n\nstrip: |-\n  a\n\nkeep: |+\n  a\n\nlast: x\n")
        #expect(v == ["clip": "a\n b\n", "strip": "a", "keep": "a\n\n", "last": "x"])
    }

    @Test func foldedBlocks() throws {
        let v = try YAML.parse("f: >\n  one\n  two\n\n  three\n    indented\n  four\ng: >-\n  a\n  b\n")
        #expect(v == ["f": "one two\nthree\n  indented\nfour\n", "g": "a b"])
    }

    @Test func blockIndentationIndicator() throws {
        let v = try YAML.parse("a: |2\n    two spaces\n  none\nb: |-1\n  one space\n")
        #expect(v == ["a": "  two spaces\nnone\n", "b": " one space"])
        #expect(try YAML.parse("- |2-\n   x\n") == [" x"])
    }

    @Test func blockScalarAtTheEndWithoutNewline() throws {
        #expect(try YAML.parse("a: |\n  x") == ["a": "x"])
        #expect(try YAML.parse("a: |\n") == ["a": ""])
    }

    @Test func flowCollections() throws {
        let v = try YAML.parse(
            """
            a: [1, "two", 'three', [4], {five: 5}]
            b: {x: 1, "y": [a, b], z: }
            c: [
              multi,   # comment
              line,
            ]
            d: [k: v, other]
            e: {<<: {m: 1}, n: 2}
            f: {"json":true,"n":null}
            g: [a b, c:d, http://x:1/]
            h: {a, b: 1, c: }
            """)
        #expect(
            v == [
                "a": [1, "two", "three", [4], ["five": 5]], "b": ["x": 1, "y": ["a", "b"], "z": nil],
                "c": ["multi", "line"], "d": [["k": "v"], "other"], "e": ["m": 1, "n": 2],
                "f": ["json": true, "n": nil],
                "g": ["a b", "c:d", "http://x:1/"], "h": ["a": nil, "b": 1, "c": nil],
            ])
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let v = try YAML.parse(
            """
            base: &base
              a: 1
              b: 2
            extra: &extra {b: 20, c: 30}
            one:
              <<: *base
              b: 3
            many:
              <<: [*extra, *base]
              d: 4
            scalar: &s hello
            copy: *s
            list: &l [x, y]
            again: *l
            """)
        #expect(v["one"] == ["a": 1, "b": 3])
        #expect(v["many"] == ["a": 1, "b": 20, "c": 30, "d": 4])
        #expect(v["copy"] == "hello")
        #expect(v["again"] == ["x", "y"])
        #expect(try YAML.parse("- &k key: 1\n- *k\n") == [["key": 1], "key"])
    }

    @Test func tags() throws {
        let v = try YAML.parse(
            """
            [!!str 123, !!int "42", !!float 1, !!bool yes, !!null x, !!str, !custom 7, !<tag:yaml.org,2002:str> 8,
             !!map {a: 1}, !!seq [], ! 9]
            """)
        #expect(v == ["123", 42, 1.0, true, nil, "", 7, "8", ["a": 1], [], 9])
    }

    @Test func nonStringKeysBecomeTheirJSONNames() throws {
        #expect(
            try YAML.parse("1: a\ntrue: b\n~: c\n0x10: d\n1.5: e\n") == [
                "1": "a", "true": "b", "null": "c", "16": "d", "1.5": "e",
            ])
    }

    @Test func documentsMarkersAndDirectives() throws {
        let text = "%YAML 1.1\n---\na: 1\n...\n# comment only\n---\n# nothing here\n--- b\n--- |\n  block\n---\n- c\n"
        #expect(try YAML.parseDocuments(text) == [["a": 1], "b", "block\n", ["c"]])
        #expect(try YAML.parseDocuments("") == [])
        #expect(try YAML.parseDocuments("# just a comment\n") == [])
        #expect(try YAML.parse("") == .null)
        #expect(try YAML.parse("--- null\n") == .null)
        #expect(try YAML.parseDocuments("---\n---\nnull\n") == [.null])
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        #expect(
            try YAML.parse("\u{FEFF}a: 1\r\nb:\r\n- x\r\nc: |\r\n  l1\r\n  l2\r\n") == [
                "a": 1, "b": ["x"], "c": "l1\nl2\n",
            ])
    }

    @Test func topLevelScalarsAndOddIndentation() throws {
        #expect(try YAML.parse("just a string\n") == "just a string")
        #expect(try YAML.parse("  a:\n     b: 1\n  c: 2\n") == ["a": ["b": 1], "c": 2])
        #expect(try YAML.parse("a:    \n\n\n      b:   1   \n") == ["a": ["b": 1]])
    }

    @Test func parseRejectsSeveralDocuments() {
        #expect(
            throws: YAMLError(
                line: 2, column: 1,
                message:
                    "expected a single YAML document but found 2; remove the extra `---` documents or read them with YAML.parseDocuments"
            )
        ) {
            try YAML.parse("a: 1\n---\nb: 2\n")
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: YAMLError(line: 1, column: 101, message: "collections are nested more than 100 levels deep")) {
            try YAML.parse(deep)
        }
        let nested = (0..<99).map { String(repeating: " ", count: $0) + "a:\n" }.joined()
        #expect((try? YAML.parse(nested)) != nil)
    }

    @Test func billionLaughsIsRejected() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g"]
        for (previous, name) in zip(names, names.dropFirst()) {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(throws: YAMLError.self) { try YAML.parse(text) }
        #expect((try? YAML.parse(text)) == nil)
    }

    /// Where the parser is more lenient than PyYAML (see docs/yaml.md), pinned so it stays deliberate.
    @Test func documentedLeniency() throws {
        #expect(try YAML.parse("a: b\tc\n") == ["a": "b\tc"])
        #expect(try YAML.parse("-\tx\n") == ["x"])
        #expect(try YAML.parse("- &a 1\n- &a 2\n- *a\n") == [1, 2, 2])
        #expect(try YAML.parse("- <<\n") == ["<<"])
        #expect(try YAML.parseDocuments("a: 1\n...\nb: 2\n") == [["a": 1], ["b": 2]])
        #expect(try YAML.parse("a: x\u{85}y\n") == ["a": "x\u{85}y"])
    }
}
