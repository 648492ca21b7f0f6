import Foundation

/// Resolves plain (unquoted) scalars as PyYAML's `safe_load` does (YAML 1.1 core types).
///
/// - null: `~`, `null`, `Null`, `NULL` and the empty scalar
/// - bool: `true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF`
/// - int: decimal, `0x` hex, `0b` binary, leading-`0` octal, `_` separators, sexagesimal `1:20`
/// - float: `1.5`, `1.`, `.5`, `1.0e+3` (a dot is required, the exponent needs a sign), `.inf`, `-.inf`, `.nan`,
///   sexagesimal `1:20.5`
/// - everything else, timestamps included, is a string.
enum YAMLScalarResolver {
    /// The value of a plain scalar; `nil` when it is a string.
    static func resolve(_ s: ArraySlice<UInt8>) -> JSONValue? {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if isNull(s) { return .null }
            if let b = bool(s) { return .bool(b) }
            return nil
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "y"),
            UInt8(ascii: "Y"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            return bool(s).map(JSONValue.bool)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if let d = float(s) { return .double(d) }
            return int(s)
        default:
            return nil
        }
    }

    /// The value of a plain scalar given as a string; `nil` when it is a string.
    static func resolve(_ s: String) -> JSONValue? {
        resolve(ArraySlice(s.utf8))
    }

    static func isNull(_ s: ArraySlice<UInt8>) -> Bool {
        switch String(decoding: s, as: UTF8.self) {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    static func bool(_ s: ArraySlice<UInt8>) -> Bool? {
        guard s.count <= 5 else { return nil }
        switch String(decoding: s, as: UTF8.self) {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// `!!bool` construction: any case of yes/no/true/false/on/off.
    static func boolForTag(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "yes", "true", "on": return true
        case "no", "false", "off": return false
        default: return nil
        }
    }

    // MARK: - Integers

    /// `.int`, or `.double` when the integer does not fit in `Int`; `nil` when not an integer.
    static func int(_ s: ArraySlice<UInt8>) -> JSONValue? {
        var body = s
        var negative = false
        if let f = body.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        guard let first = body.first, isDigit(first) else { return nil }
        let underscore = UInt8(ascii: "_")
        if first == UInt8(ascii: "0"), body.count > 1 {
            let second = body[body.startIndex + 1]
            if second == UInt8(ascii: "b") {
                let digits = body.dropFirst(2)
                guard !digits.isEmpty, digits.allSatisfy({ $0 == 0x30 || $0 == 0x31 || $0 == underscore }) else {
                    return nil
                }
                return accumulate(digits.filter { $0 != underscore }, radix: 2, negative: negative)
            }
            if second == UInt8(ascii: "x") {
                let digits = body.dropFirst(2)
                guard !digits.isEmpty, digits.allSatisfy({ hexValue($0) != nil || $0 == underscore }) else {
                    return nil
                }
                return accumulate(digits.filter { $0 != underscore }, radix: 16, negative: negative)
            }
            // Leading-zero octal: 0[0-7_]+
            if body.allSatisfy({ ($0 >= 0x30 && $0 <= 0x37) || $0 == underscore }) {
                return accumulate(body.filter { $0 != underscore }, radix: 8, negative: negative)
            }
            return nil
        }
        if first == UInt8(ascii: "0") { return .int(0) }  // exactly "0"
        if body.contains(UInt8(ascii: ":")) {
            guard let parts = sexagesimalParts(body, fractionalLast: false) else { return nil }
            var value = 0.0
            var exact = 0
            var overflow = false
            for part in parts {
                guard let p = Int(part) else { return nil }
                value = value * 60 + Double(p)
                let (m, o1) = exact.multipliedReportingOverflow(by: 60)
                let (a, o2) = m.addingReportingOverflow(p)
                overflow = overflow || o1 || o2
                exact = a
            }
            if overflow { return .double(negative ? -value : value) }
            return .int(negative ? -exact : exact)
        }
        guard body.allSatisfy({ isDigit($0) || $0 == underscore }) else { return nil }
        return accumulate(body.filter { $0 != underscore }, radix: 10, negative: negative)
    }

    private static func accumulate(_ digits: [UInt8], radix: Int, negative: Bool) -> JSONValue? {
        guard !digits.isEmpty else { return nil }
        var exact = 0
        var overflow = false
        var approx = 0.0
        for d in digits {
            guard let v = hexValue(d), v < radix else { return nil }
            approx = approx * Double(radix) + Double(v)
            if !overflow {
                let (m, o1) = exact.multipliedReportingOverflow(by: radix)
                let (a, o2) = negative ? m.subtractingReportingOverflow(v) : m.addingReportingOverflow(v)
                if o1 || o2 { overflow = true } else { exact = a }
            }
        }
        if overflow {
            if radix == 10, let d = Double(String(decoding: digits, as: UTF8.self)) { approx = d }
            return .double(negative ? -approx : approx)
        }
        return .int(exact)
    }

    // MARK: - Floats

    /// The float value, or `nil` when the scalar is not a YAML 1.1 float.
    static func float(_ s: ArraySlice<UInt8>) -> Double? {
        var body = s
        var negative = false
        var signed = false
        if let f = body.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            signed = true
            body = body.dropFirst()
        }
        guard let first = body.first else { return nil }
        let text = String(decoding: body, as: UTF8.self)
        if first == UInt8(ascii: ".") {
            switch text {
            case ".inf", ".Inf", ".INF": return negative ? -Double.infinity : Double.infinity
            case ".nan", ".NaN", ".NAN": return signed ? nil : Double.nan
            default:
                // \.[0-9][0-9_]*([eE][-+][0-9]+)?  (no sign allowed)
                guard !signed, body.count > 1, isDigit(body[body.startIndex + 1]) else { return nil }
                guard let rest = matchFraction(body.dropFirst()), rest.isEmpty else { return nil }
                return parseDouble(body, negative: false)
            }
        }
        guard isDigit(first) else { return nil }
        // [0-9][0-9_]*
        var i = body.startIndex
        while i < body.endIndex, isDigit(body[i]) || body[i] == UInt8(ascii: "_") { i += 1 }
        guard i < body.endIndex else { return nil }
        if body[i] == UInt8(ascii: ".") {
            guard let rest = matchFraction(body[(i + 1)...]), rest.isEmpty else { return nil }
            return parseDouble(body, negative: negative)
        }
        guard body[i] == UInt8(ascii: ":"), let parts = sexagesimalParts(body, fractionalLast: true) else {
            return nil
        }
        var value = 0.0
        for part in parts {
            guard let p = Double(part) else { return nil }
            value = value * 60 + p
        }
        return negative ? -value : value
    }

    /// Matches `[0-9_]*([eE][-+][0-9]+)?` at the start; returns what is left.
    private static func matchFraction(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var i = s.startIndex
        while i < s.endIndex, isDigit(s[i]) || s[i] == UInt8(ascii: "_") { i += 1 }
        if i < s.endIndex, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            guard i < s.endIndex, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") else { return nil }
            i += 1
            let digitsStart = i
            while i < s.endIndex, isDigit(s[i]) { i += 1 }
            guard i > digitsStart else { return nil }
        }
        return s[i...]
    }

    private static func parseDouble(_ s: ArraySlice<UInt8>, negative: Bool) -> Double? {
        var cleaned = String(decoding: s.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self).lowercased()
        if cleaned.hasPrefix(".") { cleaned = "0" + cleaned }
        cleaned = cleaned.replacingOccurrences(of: ".e", with: ".0e")
        if cleaned.hasSuffix(".") { cleaned += "0" }
        guard let d = Double(cleaned) else { return nil }
        return negative ? -d : d
    }

    /// Splits `[0-9][0-9_]*(:[0-5]?[0-9])+` (and, for floats, a final `.[0-9_]*`) into its parts, `_` removed.
    private static func sexagesimalParts(_ s: ArraySlice<UInt8>, fractionalLast: Bool) -> [String]? {
        let parts = s.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, let headFirst = head.first, isDigit(headFirst),
            head.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") })
        else { return nil }
        if !fractionalLast, headFirst == UInt8(ascii: "0") { return nil }
        var result = [String(decoding: head.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)]
        for (n, part) in parts.dropFirst().enumerated() {
            var digits = part
            var fraction: ArraySlice<UInt8> = []
            if fractionalLast, n == parts.count - 2 {
                guard let dot = part.firstIndex(of: UInt8(ascii: ".")) else { return nil }
                digits = part[..<dot]
                fraction = part[dot...]
                guard fraction.dropFirst().allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return nil }
            }
            guard (1...2).contains(digits.count), digits.allSatisfy(isDigit) else { return nil }
            if digits.count == 2, let d = digits.first, d > UInt8(ascii: "5") { return nil }
            var text = String(decoding: digits, as: UTF8.self)
            if !fraction.isEmpty {
                text += String(decoding: fraction.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
                if text.hasSuffix(".") { text += "0" }
            }
            result.append(text)
        }
        return result
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }
}
