import Foundation
import Testing

@testable import KubeCore

/// Everything the emitter writes reads back as the same value, with this parser and with PyYAML.
@Suite struct YAMLRoundTripTests {
    /// Strings that a careless emitter gets wrong.
    static let trickyStrings: [String] = [
        "", " ", "  leading", "trailing ", "yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "NULL",
        "null", "~", "0755", "08", "0x1F", "0b101", "1e3", "1.0e+3", ".5", "-.5", "1_000", "1:20", "1:20.5",
        "2001-12-14", "2001-12-14t21:59:43.10-05:00", "12:30:45", ".inf", "-.Inf", ".NaN", "+1", "-1", "1.",
        "=", "<<", "- item", "-", "?", "? key", ":", "a: b", "a:b", "key:", "a #b", "a#b", "#hash", "&anchor",
        "*alias", "!tag", "|", ">", "'quoted'", "\"dq\"", "%percent", "@at", "`tick`", "[list]", "{map}",
        "a, b", "a]b", "---", "...", "--- x", "tab\there", "\ttab", "line\nbreak", "ends with newline\n",
        "two\nlines\n", "keep\n\n", "\n", "\n\nleading newlines", " indented\nblock", "a\n b\n  c", "crlf\r\n",
        "nul\u{0}", "bell\u{7}", "esc\u{1B}", "del\u{7F}", "nel\u{85}", "ls\u{2028}", "bom\u{FEFF}", "nbsp\u{A0}",
        "é", "日本語", "emoji 😀", "a'b", "a\"b", "back\\slash", "\\", "multi\n\n\n\nempty", "trail \nspace",
        "0o17", "0", "-0", "+.inf", "1e+3", "1E-3", "0.", "00", "9999999999999999999999", "Yes please",
        "http://example.com:8080/path?q=1#frag", "image:tag", "10Gi", "500m", "15s", "*", "&", "!", "%", "@",
    ]

    static let trickyValues: [JSONValue] = {
        var values: [JSONValue] = trickyStrings.map(JSONValue.string)
        values += [
            .null, true, false, 0, -1, 42, .int(Int.max), .int(Int.min), 1.0, -0.0, 0.1, 1e-7, 1.5e300, 123456789.125,
            .double(.infinity), .double(-.infinity), [], [:], [[]], [[:]], [[1, 2], [3]], ["a": [:], "b": []],
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "data": ["a": "1"], "spec": [:]],
            .object(Dictionary(uniqueKeysWithValues: trickyStrings.filter { !$0.isEmpty }.map { ($0, JSONValue.string($0)) })),
            .array(trickyStrings.map { ["k": .string($0), "list": [.string($0)]] }),
        ]
        return values
    }()

    @Test func fixedCorpusReadsBackWithThisParser() throws {
        for value in Self.trickyValues {
            let text = YAML.emit(value)
            let back = try YAML.parse(text)
            #expect(back == value, "\(text)")
        }
    }

    @Test func fixedCorpusReadsBackWithPyYAML() throws {
        let texts = Self.trickyValues.map(YAML.emit)
        let reference = try PyYAML.loadAll(texts: texts)
        for (index, value) in Self.trickyValues.enumerated() {
            #expect(reference[index] == [PyYAML.normalized(value)], "\(texts[index])")
        }
    }
}
