import Foundation

/// A JSON text that could not be parsed, with the 1-based line and column of the problem.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the offending character.
    public let line: Int
    /// 1-based column of the offending character.
    public let column: Int
    /// What was wrong.
    public let message: String

    public var description: String { "invalid JSON at line \(line), column \(column): \(message)" }
}

extension JSONValue {
    /// Parses JSON text (RFC 8259). Numbers without a fraction or exponent that fit in `Int` become `.int`.
    public init(json text: String) throws {
        self = try JSONValue(jsonBytes: Array(text.utf8))
    }

    /// Parses JSON from UTF-8 bytes.
    public init(jsonBytes bytes: [UInt8]) throws {
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }

    /// Parses JSON from `Data`.
    public init(jsonData data: Data) throws {
        self = try JSONValue(jsonBytes: [UInt8](data))
    }

    /// Compact JSON with object keys sorted, so equal values give equal bytes.
    public func jsonString() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }

    /// Compact JSON as UTF-8 bytes, object keys sorted.
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        writeJSON(into: &out)
        return out
    }

    /// Compact JSON as `Data`, object keys sorted.
    public func jsonData() -> Data { Data(jsonBytes()) }

    /// Indented JSON (two spaces), object keys sorted; for people.
    public func prettyJSONString() -> String {
        var out: [UInt8] = []
        writeJSON(into: &out, indent: 0, pretty: true)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON text of this value to `out`.
    public func writeJSON(into out: inout [UInt8]) {
        writeJSON(into: &out, indent: 0, pretty: false)
    }

    private func writeJSON(into out: inout [UInt8], indent: Int, pretty: Bool) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: JSONValue.formatDouble(d).utf8)
        case .string(let s): JSONValue.writeJSONString(s, into: &out)
        case .array(let a):
            if a.isEmpty { out.append(contentsOf: [0x5B, 0x5D]); return }
            out.append(0x5B)
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { JSONValue.newline(&out, indent + 2) }
                v.writeJSON(into: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { JSONValue.newline(&out, indent) }
            out.append(0x5D)
        case .object(let o):
            if o.isEmpty { out.append(contentsOf: [0x7B, 0x7D]); return }
            out.append(0x7B)
            // Sorting the entries (not the keys, then looking each one up again) hashes no key twice.
            for (i, entry) in o.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { JSONValue.newline(&out, indent + 2) }
                JSONValue.writeJSONString(entry.key, into: &out)
                out.append(0x3A)
                if pretty { out.append(0x20) }
                entry.value.writeJSON(into: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { JSONValue.newline(&out, indent) }
            out.append(0x7D)
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
    }

    /// Formats a double the way JSON readers expect: integral values keep a `.0`, non-finite values become null.
    static func formatDouble(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d.rounded() == d && abs(d) < 1e15 { return String(format: "%.1f", d) }
        return "\(d)"
    }

    /// Appends `s` as a quoted JSON string with the required escapes.
    static func writeJSONString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        // Most strings need no escape: copy them at once (this runs for every key and string of every hash).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.append(contentsOf: s.utf8)
            out.append(0x22)
            return
        }
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0..<0x20:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hexDigit(byte >> 4), hexDigit(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// The lower-case hex digit of a nibble (0...15).
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
struct JSONParser {
    let bytes: [UInt8]
    var pos = 0
    /// Guards against stack exhaustion on hostile input.
    static let maxDepth = 512

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if pos < bytes.count { throw error("unexpected trailing content") }
        return value
    }

    func error(_ message: String) -> JSONParseError {
        var line = 1, column = 1
        for b in bytes[0..<min(pos, bytes.count)] {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return JSONParseError(line: line, column: column, message: message)
    }

    mutating func skipWhitespace() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x0A || bytes[pos] == 0x0D || bytes[pos] == 0x09 {
            pos += 1
        }
    }

    mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth < JSONParser.maxDepth else { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
        guard pos < bytes.count else { throw error("unexpected end of input") }
        switch bytes[pos] {
        case 0x7B: return try parseObject(depth: depth)
        case 0x5B: return try parseArray(depth: depth)
        case 0x22: return .string(try parseString())
        case 0x74: try expectLiteral("true"); return .bool(true)
        case 0x66: try expectLiteral("false"); return .bool(false)
        case 0x6E: try expectLiteral("null"); return .null
        case 0x2D, 0x30...0x39: return try parseNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[pos])))'")
        }
    }

    mutating func expectLiteral(_ word: String) throws {
        let count = word.utf8.count
        guard pos + count <= bytes.count, bytes[pos..<pos + count].elementsEqual(word.utf8) else {
            throw error("invalid literal, expected '\(word)'")
        }
        pos += count
    }

    mutating func parseObject(depth: Int) throws -> JSONValue {
        pos += 1
        var result: [String: JSONValue] = [:]
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == 0x7D { pos += 1; return .object(result) }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == 0x22 else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == 0x3A else { throw error("expected ':' after key") }
            pos += 1
            skipWhitespace()
            result[key] = try parseValue(depth: depth + 1)
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[pos] == 0x2C { pos += 1; continue }
            if bytes[pos] == 0x7D { pos += 1; return .object(result) }
            throw error("expected ',' or '}' in object")
        }
    }

    mutating func parseArray(depth: Int) throws -> JSONValue {
        pos += 1
        var result: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == 0x5D { pos += 1; return .array(result) }
        while true {
            skipWhitespace()
            result.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[pos] == 0x2C { pos += 1; continue }
            if bytes[pos] == 0x5D { pos += 1; return .array(result) }
            throw error("expected ',' or ']' in array")
        }
    }

    mutating func parseString() throws -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count, bytes[pos] != 0x22, bytes[pos] != 0x5C, bytes[pos] >= 0x20 { pos += 1 }
        if pos < bytes.count, bytes[pos] == 0x22 {
            let s = String(decoding: bytes[start..<pos], as: UTF8.self)
            pos += 1
            return s
        }
        var buf = Array(bytes[start..<pos])
        while true {
            guard pos < bytes.count else { throw error("unterminated string") }
            let b = bytes[pos]
            if b == 0x22 { pos += 1; return String(decoding: buf, as: UTF8.self) }
            if b < 0x20 { throw error("control character in string") }
            if b != 0x5C { buf.append(b); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { throw error("unterminated escape") }
            let e = bytes[pos]
            pos += 1
            switch e {
            case 0x22: buf.append(0x22)
            case 0x5C: buf.append(0x5C)
            case 0x2F: buf.append(0x2F)
            case 0x62: buf.append(0x08)
            case 0x66: buf.append(0x0C)
            case 0x6E: buf.append(0x0A)
            case 0x72: buf.append(0x0D)
            case 0x74: buf.append(0x09)
            case 0x75:
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard pos + 1 < bytes.count, bytes[pos] == 0x5C, bytes[pos + 1] == 0x75 else {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    pos += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("invalid unicode escape") }
                buf.append(contentsOf: u.utf8)
            default: throw error("invalid escape character")
            }
        }
    }

    mutating func parseHex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    mutating func parseNumber() throws -> JSONValue {
        let start = pos
        var isInteger = true
        if bytes[pos] == 0x2D { pos += 1 }
        guard pos < bytes.count, (0x30...0x39).contains(bytes[pos]) else { throw error("invalid number") }
        if bytes[pos] == 0x30 {
            pos += 1
        } else {
            while pos < bytes.count, (0x30...0x39).contains(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == 0x2E {
            isInteger = false
            pos += 1
            guard pos < bytes.count, (0x30...0x39).contains(bytes[pos]) else { throw error("invalid fraction") }
            while pos < bytes.count, (0x30...0x39).contains(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == 0x65 || bytes[pos] == 0x45 {
            isInteger = false
            pos += 1
            if pos < bytes.count, bytes[pos] == 0x2B || bytes[pos] == 0x2D { pos += 1 }
            guard pos < bytes.count, (0x30...0x39).contains(bytes[pos]) else { throw error("invalid exponent") }
            while pos < bytes.count, (0x30...0x39).contains(bytes[pos]) { pos += 1 }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if isInteger, let i = Int(text) { return .int(i) }
        guard let d = Double(text) else { throw error("invalid number") }
        return .double(d)
    }
}
