/// Writes `JSONValue`s as deterministic block YAML.
///
/// - Keys: `apiVersion`, `kind`, `metadata`, `spec` first, then the others sorted by Unicode code point.
/// - Mappings indent by two spaces; sequences are written kubectl-style, their `- ` at the indentation of their
///   key; a mapping or sequence inside a sequence starts on the `- ` line.
/// - Strings are plain when a YAML 1.1 (PyYAML) and a YAML 1.2 (Go) reader both read them back as the same
///   string, single-quoted when that is not so, double-quoted when they need escapes, and literal blocks
///   (`|`, `|-`, `|2-`) when they span lines.
/// - Doubles always keep a dot (`1.0`, `1.0e+20`); `.inf`, `-.inf`, `.nan` for the special values.
struct YAMLEmitter {
    private(set) var bytes: [UInt8] = []

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func writeDocumentSeparator() {
        write("---\n")
    }

    /// One document, ending with a newline.
    mutating func emitDocument(_ value: JSONValue) {
        switch value {
        case .object(let o) where !o.isEmpty:
            writeMapping(o, indent: 0, inline: false)
        case .array(let a) where !a.isEmpty:
            writeSequence(a, indent: 0, inline: false)
        default:
            writeScalarValue(value, contentIndent: 2)
        }
    }

    // MARK: - Collections

    /// A non-empty mapping at `indent`; with `inline` the first key follows a `- ` already written.
    private mutating func writeMapping(_ o: [String: JSONValue], indent: Int, inline: Bool) {
        for (index, key) in Self.orderedKeys(o).enumerated() {
            if index > 0 || !inline { writeIndent(indent) }
            writeKey(key)
            write(":")
            let value = o[key] ?? .null
            switch value {
            case .object(let child) where !child.isEmpty:
                write("\n")
                writeMapping(child, indent: indent + 2, inline: false)
            case .array(let child) where !child.isEmpty:
                write("\n")
                writeSequence(child, indent: indent, inline: false)
            default:
                write(" ")
                writeScalarValue(value, contentIndent: indent + 2)
            }
        }
    }

    /// A non-empty sequence whose `- ` stand at `indent`; with `inline` the first item follows a `- ` already
    /// written.
    private mutating func writeSequence(_ a: [JSONValue], indent: Int, inline: Bool) {
        for (index, item) in a.enumerated() {
            if index > 0 || !inline { writeIndent(indent) }
            write("- ")
            switch item {
            case .object(let child) where !child.isEmpty:
                writeMapping(child, indent: indent + 2, inline: true)
            case .array(let child) where !child.isEmpty:
                writeSequence(child, indent: indent + 2, inline: true)
            default:
                writeScalarValue(item, contentIndent: indent + 2)
            }
        }
    }

    /// Keys in Kubernetes order: apiVersion, kind, metadata, spec, then the rest by Unicode code point.
    static func orderedKeys(_ o: [String: JSONValue]) -> [String] {
        let leading = ["apiVersion", "kind", "metadata", "spec"]
        var keys = leading.filter { o[$0] != nil }
        keys += o.keys.filter { !leading.contains($0) }.sorted {
            $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
        }
        return keys
    }

    // MARK: - Scalars

    /// A scalar, empty collection or block string, then the newline. Block string lines are indented by
    /// `contentIndent`.
    private mutating func writeScalarValue(_ value: JSONValue, contentIndent: Int) {
        switch value {
        case .null: write("null")
        case .bool(let v): write(v ? "true" : "false")
        case .int(let i): write(String(i))
        case .double(let d): write(Self.formatDouble(d))
        case .array: write("[]")
        case .object: write("{}")
        case .string(let s):
            switch Self.style(for: s, isKey: false) {
            case .plain: write(s)
            case .singleQuoted: writeSingleQuoted(s)
            case .doubleQuoted: writeDoubleQuoted(s)
            case .literal: writeLiteral(s, indent: contentIndent)
            }
        }
        write("\n")
    }

    private mutating func writeKey(_ key: String) {
        switch Self.style(for: key, isKey: true) {
        case .plain: write(key)
        case .singleQuoted: writeSingleQuoted(key)
        case .doubleQuoted, .literal: writeDoubleQuoted(key)
        }
    }

    /// How a string is written.
    enum Style: Equatable {
        case plain, singleQuoted, doubleQuoted, literal
    }

    /// The style of a string: the simplest one that reads back as the same string with PyYAML and Go YAML.
    static func style(for s: String, isKey: Bool) -> Style {
        var hasNewline = false
        for scalar in s.unicodeScalars {
            if scalar == "\n" {
                hasNewline = true
            } else if needsEscape(scalar) {
                return .doubleQuoted
            }
        }
        if hasNewline { return !isKey && canBeLiteral(s) ? .literal : .doubleQuoted }
        return isPlainSafe(s) ? .plain : .singleQuoted
    }

    /// Characters that only a double-quoted string can hold: controls (tab included), the YAML 1.1 line breaks
    /// NEL, LS and PS, the byte-order mark and non-characters.
    static func needsEscape(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20...0x7E: return false
        case 0x0A: return false
        case 0...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: return true
        case 0xD800...0xDFFF: return true
        default: return false
        }
    }

    /// True when `s` may be written without quotes.
    static func isPlainSafe(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, let last = u.last else { return false }
        if first == 0x20 || last == 0x20 { return false }
        if "-?:,[]{}#&*!|>'\"%@`".utf8.contains(first) { return false }
        if last == UInt8(ascii: ":") { return false }
        for i in 0..<u.count - 1 {
            if u[i] == UInt8(ascii: ":") && u[i + 1] == 0x20 { return false }
            if u[i] == 0x20 && u[i + 1] == UInt8(ascii: "#") { return false }
        }
        // Anything that starts like a number, a date or a time, in any YAML version (`10Gi` is quoted too: the
        // rule is simple and other code already pins this output).
        if YAMLScalarResolver.isDigit(first) { return false }
        if first == UInt8(ascii: "+") || first == UInt8(ascii: ".") {
            if u.count > 1, YAMLScalarResolver.isDigit(u[1]) || u[1] == UInt8(ascii: ".") { return false }
        }
        if YAMLScalarResolver.resolve(u[...]) != nil { return false }
        switch s {
        case "y", "Y", "n", "N", "=", "<<": return false  // YAML 1.1 booleans in Go, value and merge keys
        default: break
        }
        switch s.lowercased() {
        case ".inf", "+.inf", "-.inf", ".nan", "+.nan", "-.nan", "null", "true", "false": return false
        default: return true
        }
    }

    /// True when a multi-line string reads back exactly from a literal block (`|`, `|-`) that yamllint accepts:
    /// no trailing blanks on a line, no blank-only lines, at most one final newline, no tab in indentation
    /// position and no carriage return.
    static func canBeLiteral(_ s: String) -> Bool {
        if s.hasSuffix("\n\n") { return false }
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        var emptyRun = 0
        for line in lines {
            if line.isEmpty {
                emptyRun += 1
                if emptyRun > 2 { return false }
                continue
            }
            emptyRun = 0
            guard let lastChar = line.unicodeScalars.last, lastChar != " ", lastChar != "\t" else { return false }
            if line.unicodeScalars.contains("\r") { return false }
        }
        guard let firstContent = lines.first(where: { !$0.isEmpty }),
            let head = firstContent.unicodeScalars.first
        else { return false }
        return head != "\t"
    }

    private mutating func writeSingleQuoted(_ s: String) {
        write("'")
        for byte in s.utf8 {
            if byte == UInt8(ascii: "'") { bytes.append(byte) }
            bytes.append(byte)
        }
        write("'")
    }

    private mutating func writeDoubleQuoted(_ s: String) {
        write("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": write("\\\"")
            case "\\": write("\\\\")
            case "\n": write("\\n")
            case "\t": write("\\t")
            case "\r": write("\\r")
            case "\u{0}": write("\\0")
            case "\u{7}": write("\\a")
            case "\u{8}": write("\\b")
            case "\u{B}": write("\\v")
            case "\u{C}": write("\\f")
            case "\u{1B}": write("\\e")
            case "\u{85}": write("\\N")
            case "\u{2028}": write("\\L")
            case "\u{2029}": write("\\P")
            default:
                if Self.needsEscapeInDoubleQuotes(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    if scalar.value <= 0xFF {
                        write("\\x" + String(repeating: "0", count: 2 - hex.count) + hex)
                    } else {
                        write("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    }
                } else {
                    bytes.append(contentsOf: String(Character(scalar)).utf8)
                }
            }
        }
        write("\"")
    }

    private static func needsEscapeInDoubleQuotes(_ c: Unicode.Scalar) -> Bool {
        c.value != 0x0A && needsEscape(c)
    }

    /// `|`, `|-` (no final newline); with an indentation indicator when the first line starts with a space.
    private mutating func writeLiteral(_ s: String, indent: Int) {
        write("|")
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        if let firstContent = lines.first(where: { !$0.isEmpty }), firstContent.hasPrefix(" ") { write("2") }
        let body: ArraySlice<Substring>
        if s.hasSuffix("\n") {
            body = lines.dropLast()
        } else {
            write("-")
            body = lines[...]
        }
        for line in body {
            write("\n")
            if !line.isEmpty {
                writeIndent(indent)
                bytes.append(contentsOf: line.utf8)
            }
        }
    }

    /// A double that reads back as the same double: always with a dot, `.inf`, `-.inf`, `.nan`.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        var s = "\(d)"
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }), !s[..<e].contains(".") {
            s.insert(contentsOf: ".0", at: e)
        }
        return s
    }

    /// A double as Python's `repr` writes it (used for keys that are floats, as `json.dumps` names them).
    static func pythonFloatRepr(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return "\(d)"
    }

    // MARK: - Output

    private mutating func write(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    private mutating func writeIndent(_ n: Int) {
        bytes.append(contentsOf: repeatElement(0x20, count: n))
    }
}
