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
        "http://example.com:8080/path?q=1#frag", "image:tag", "10Gi", "500m", "15s", "1d", "1E+3",
        "2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43Z", "1:2:3", "0b", "0x", "1__0", "16-alpine", "3.14.15", "*",
        "&", "!", "%", "@",
    ]

    static let trickyValues: [JSONValue] = {
        var values: [JSONValue] = trickyStrings.map(JSONValue.string)
        values += [
            .null, true, false, 0, -1, 42, .int(Int.max), .int(Int.min), 1.0, -0.0, 0.1, 1e-7, 1.5e300, 123456789.125,
            .double(.infinity), .double(-.infinity), [], [:], [[]], [[:]], [[1, 2], [3]], ["a": [:], "b": []],
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "data": ["a": "1"], "spec": [:]],
            .object(
                Dictionary(trickyStrings.map { ($0, JSONValue.string($0)) }, uniquingKeysWith: { first, _ in first })),
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

/// Seeded pseudo-random values (SplitMix64), the same on every run.
struct YAMLRandomValues {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    static let tokens: [String] = [
        "a", "b", "Z", "0", "1", "9", ".", "-", "+", "_", ":", " ", "  ", "#", "'", "\"", "\\", "\n", "\n\n", "\t",
        "!", "&", "*", "?", "|", ">", "%", "@", "`", ",", "[", "]", "{", "}", "é", "日本", "😀", "\u{85}", "\u{2028}",
        "\u{A0}", "\r", "~", "=", "<<", "yes", "No", "on", "OFF", "y", "null", "Null", "true", "0x1F", "1e3", "0755",
        "08", "1:20", "1_000", ".5", ".inf", "-.nan", "2001-12-14", "12:30:45", "---", "...", " #", ": ", "- ", "? ",
        "\u{1B}", "\u{7F}", "\u{FEFF}", "\u{0}",
    ]

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func string() -> String {
        (0..<below(7)).map { _ in Self.tokens[below(Self.tokens.count)] }.joined()
    }

    mutating func scalar() -> JSONValue {
        switch below(10) {
        case 0: return .null
        case 1: return .bool(below(2) == 0)
        case 2: return .int(Int(bitPattern: UInt(next())) >> below(64))
        case 3:
            let d = Double(bitPattern: next())
            return .double(d.isNaN ? 0.5 : d)
        case 4: return .double(Double(below(2000) - 1000) / 8)
        default: return .string(string())
        }
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        guard depth < 4 else { return scalar() }
        switch below(6) {
        case 0: return .array((0..<below(5)).map { _ in value(depth: depth + 1) })
        case 1, 2:
            var o: [String: JSONValue] = [:]
            for _ in 0..<below(6) { o[string()] = value(depth: depth + 1) }
            return .object(o)
        default: return scalar()
        }
    }
}

extension YAMLRoundTripTests {
    static let randomValues: [JSONValue] = {
        var generator = YAMLRandomValues(seed: 20_261_122)
        return (0..<300).map { _ in generator.value() }
    }()

    @Test func randomValuesReadBackWithThisParser() throws {
        for value in Self.randomValues {
            let text = YAML.emit(value)
            let back = try YAML.parse(text)
            #expect(back == value, "\(back.firstDifference(from: value) ?? "")\n\(text)")
        }
        // And all of them as one multi-document stream.
        #expect(try YAML.parseDocuments(YAML.emitDocuments(Self.randomValues)) == Self.randomValues)
    }

    @Test func randomValuesReadBackWithPyYAML() throws {
        let texts = Self.randomValues.map(YAML.emit)
        let reference = try PyYAML.loadAll(texts: texts)
        for (index, value) in Self.randomValues.enumerated() {
            let expected = PyYAML.normalized(value)
            #expect(
                reference[index] == [expected],
                "\(reference[index].first?.firstDifference(from: expected) ?? "")\n\(texts[index])")
        }
    }
}
