import Testing

@testable import KubeCore

/// Every error the parser reports, with its exact line, column and message.
@Suite struct YAMLParserErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let input: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { input.debugDescription }
    }

    static let cases: [Case] = [
        Case(
            input: "a:\n  b: 1\n c: 2\n", line: 3, column: 2,
            message: "bad indentation: this line is indented more than the keys above it (column 1); align it with "
                + "them, or give the key above an empty value to nest it"),
        Case(
            input: "a:\n  - b\n  c: d\n", line: 3, column: 3,
            message: "bad indentation: this line is indented more than the keys above it (column 1); align it with "
                + "them, or give the key above an empty value to nest it"),
        Case(
            input: "- [a]\n  - b\n", line: 2, column: 3,
            message: "bad indentation: expected a '- ' item at column 1 or a line indented less; a value that "
                + "continues on more lines must be indented more than its '- ', or quoted"),
        Case(
            input: "a:\n\tb: 1\n", line: 2, column: 1,
            message: "tabs are not allowed for indentation; indent with spaces"),
        Case(
            input: "a:\n  b: 1\n  \tc: 2\n", line: 3, column: 3,
            message: "tabs are not allowed for indentation; indent with spaces"),
        Case(
            input: "a: 1\nb: 2\na: 3\n", line: 3, column: 1,
            message:
                "duplicate key \"a\" in this mapping; each key may appear only once (Kubernetes rejects duplicates too)"
        ),
        Case(
            input: "x:\n  'k': 1\n  \"k\": 2\n", line: 3, column: 3,
            message:
                "duplicate key \"k\" in this mapping; each key may appear only once (Kubernetes rejects duplicates too)"
        ),
        Case(
            input: "m: {a: 1, a: 2}\n", line: 1, column: 11,
            message: "duplicate key \"a\" in this mapping; each key may appear only once (Kubernetes rejects duplicates too)"),
        Case(
            input: "a: \"abc\n\nb: 1\n", line: 1, column: 4,
            message: "unterminated double-quoted string: add the closing \""),
        Case(input: "a: 'it''s\n", line: 1, column: 4, message: "unterminated single-quoted string: add the closing '"),
        Case(
            input: "- \"é\\q\"\n", line: 1, column: 5,
            message: "unknown escape '\\q' in a double-quoted string; write '\\\\' for a backslash"),
        Case(input: "- \"\\u12G4\"\n", line: 1, column: 4, message: "expected 4 hexadecimal digits in this escape"),
        Case(
            input: "a: [1, 2\nb: 3\n", line: 1, column: 4, message: "unterminated flow collection: add the closing ']'"),
        Case(input: "a: {b: 1\n", line: 1, column: 4, message: "unterminated flow collection: add the closing '}'"),
        Case(
            input: "a: [1 2 3] x\n", line: 1, column: 12,
            message: "unexpected character 'x' after the value; quote the value if it belongs to it"),
        Case(
            input: "a: [1, 2}\n", line: 1, column: 9,
            message: "expected ',' or ']' in the flow sequence that starts at line 1"),
        Case(
            input: "a: \"x\" y\n", line: 1, column: 8,
            message: "unexpected character 'y' after the value; quote the value if it belongs to it"),
        Case(
            input: "a: b: c\n", line: 1, column: 5,
            message: "mapping values are not allowed here; quote the value if it contains ': '"),
        Case(
            input: "a: 1\n  b: 2\n", line: 2, column: 4,
            message: "mapping values are not allowed here; quote the value if it contains ': '"),
        Case(
            input: "a: - b\n", line: 1, column: 4,
            message:
                "a block sequence cannot start on the same line as its key; put each '- ' item on its own line below the key"
        ),
        Case(
            input: "a: 1\n- b\n", line: 2, column: 1,
            message: "a '- ' sequence item is not allowed between the keys of a mapping; put it right below a key that "
                + "has no value on its line"),
        Case(
            input: "a: 1\nplain text\n", line: 2, column: 1,
            message: "expected a mapping key ('key: value') at this indentation; a value that continues on more lines "
                + "must be indented more than its key, or quoted"),
        Case(
            input: "- a\nb: 1\n", line: 2, column: 1,
            message: "unexpected content after the end of the document; check the indentation of this line or "
                + "separate documents with '---'"),
        Case(
            input: "a: *nope\n", line: 1, column: 4,
            message: "unknown anchor 'nope': define it with &nope before using *nope"),
        Case(input: "a: [*x]\n", line: 1, column: 5, message: "unknown anchor 'x': define it with &x before using *x"),
        Case(
            input: "a: &x 1\n*x : 2\n", line: 2, column: 1,
            message: "expected a mapping key ('key: value') at this indentation; a value that continues on more lines "
                + "must be indented more than its key, or quoted"),
        Case(
            input: "a: @x\n", line: 1, column: 4,
            message: "a plain value cannot start with '@'; put the value in quotes"),
        Case(
            input: "a: `x`\n", line: 1, column: 4,
            message: "a plain value cannot start with '`'; put the value in quotes"),
        Case(
            input: "a: ] \n", line: 1, column: 4,
            message: "a plain value cannot start with ']'; put the value in quotes"),
        Case(
            input: "a: [- x]\n", line: 1, column: 5,
            message: "block sequence entries ('- ') are not allowed inside a flow collection"),
        Case(
            input: "? a\n: b\n", line: 1, column: 1,
            message: "complex mapping keys ('? ') are not supported; write the key as a plain or quoted scalar"),
        Case(
            input: "[a, b]: c\n", line: 1, column: 7,
            message: "mapping values are not allowed here; quote the value if it contains ': '"),
        Case(
            input: "{a: [1]: 2}\n", line: 1, column: 8,
            message: "expected ',' or '}' in the flow mapping that starts at line 1"),
        Case(
            input: "a: |x\n", line: 1, column: 5,
            message: "expected a comment or a line break after the block scalar header ('|' or '>')"),
        Case(input: "a: |0\n  x\n", line: 1, column: 5, message: "the indentation indicator must be 1 to 9, not 0"),
        Case(input: "a: \"x\"# c\n", line: 1, column: 7, message: "a comment needs a space before '#'"),
        Case(input: "a: !!int ten\n", line: 1, column: 10, message: "!!int: 'ten' is not an integer"),
        Case(input: "a: !!float x\n", line: 1, column: 12, message: "!!float: 'x' is not a number"),
        Case(
            input: "a: !!bool maybe\n", line: 1, column: 11,
            message: "!!bool: 'maybe' is not a boolean (true/false, yes/no, on/off)"),
        Case(input: "a: !!map x\n", line: 1, column: 10, message: "the tag !!map cannot be applied to a scalar"),
        Case(input: "a: !!seq {b: 1}\n", line: 1, column: 10, message: "the tag !!seq cannot be applied to an object"),
        Case(input: "a: &x &y 1\n", line: 1, column: 7, message: "a node may have only one anchor (&name)"),
        Case(
            input: "<<: 1\n", line: 1, column: 1,
            message: "a merge key '<<' takes a mapping or a list of mappings, not an integer"),
        Case(
            input: "a: 1\nb: x\u{7}\n", line: 2, column: 5,
            message: "control character U+0007 is not allowed in YAML; write it as an escape in a double-quoted string"),
        Case(
            input: "- 'x\n---\n'\n", line: 1, column: 3,
            message: "a document marker ('---' or '...') inside a quoted string; add the closing quote"),
    ]

    @Test(arguments: cases)
    func reportsLineColumnAndMessage(_ c: Case) {
        #expect(throws: YAMLError(line: c.line, column: c.column, message: c.message)) {
            try YAML.parseDocuments(c.input)
        }
    }

    @Test func descriptionNamesLineAndColumn() {
        let error = YAMLError(line: 3, column: 5, message: "bad thing")
        #expect(error.description == "yaml: line 3, column 5: bad thing")
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(
            throws: YAMLError(
                line: 1, column: 7, message: "mapping values are not allowed here; quote the value if it contains ': '")
        ) {
            try YAML.parse("é: ü日本: x\n")
        }
    }
}
