/// Scanning of scalars: plain (multi-line, folded), single- and double-quoted, literal and folded blocks.
/// The folding rules follow PyYAML's scanner so that values compare equal with `yaml.safe_load`.
extension YAMLParser {
    // MARK: - Plain scalars

    /// Rejects characters that cannot start a plain scalar.
    func checkPlainStart(flow: Bool) throws {
        let c = peek()
        switch c {
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
            UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"):
            throw error("a plain value cannot start with '\(currentCharacter())'; put the value in quotes")
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            if isBlankOrBreakOrEnd(peek(1)) || (flow && isFlowIndicator(peek(1))) {
                if c == UInt8(ascii: "-") && flow {
                    throw fail(.flowBlockEntry)
                }
                throw error("a plain value cannot start with '\(currentCharacter()) '; put the value in quotes")
            }
        default:
            break
        }
    }

    func isFlowIndicator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{")
            || c == UInt8(ascii: "}")
    }

    /// A plain scalar from the position. Continuation lines must reach column `minIndent` (block context); line
    /// breaks fold to a space, empty lines to newlines. Leaves the position right after the last character.
    mutating func scanPlain(minIndent: Int, flow: Bool) -> [UInt8] {
        var out: [UInt8] = []
        var separator: [UInt8] = []
        var end = mark
        while true {
            if peek() == UInt8(ascii: "#") { break }
            let chunkStart = pos
            while pos < b.count {
                let c = b[pos]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { break }
                if c == UInt8(ascii: ":") {
                    let next = peek(1)
                    if isBlankOrBreakOrEnd(next) || (flow && isFlowIndicator(next)) { break }
                }
                if flow && isFlowIndicator(c) { break }
                pos += 1
            }
            if pos == chunkStart { break }
            out.append(contentsOf: separator)
            out.append(contentsOf: b[chunkStart..<pos])
            end = mark
            guard let spaces = scanPlainSpaces() else { break }
            if spaces.isEmpty || peek() == UInt8(ascii: "#") || (!flow && column < minIndent) { break }
            separator = spaces
        }
        reset(to: end)
        return out
    }

    /// The separator after a chunk of a plain scalar: the blanks on the line, or the folded line breaks.
    /// `nil` when a document marker ends the scalar.
    private mutating func scanPlainSpaces() -> [UInt8]? {
        let start = pos
        skipInlineSpaces()
        guard isBreak(peek()) else { return Array(b[start..<pos]) }
        consumeBreak()
        if isDocumentMarker(at: pos) { return nil }
        var breaks = 0
        while true {
            let c = peek()
            if c == 0x20 {
                pos += 1
            } else if isBreak(c) {
                consumeBreak()
                breaks += 1
                if isDocumentMarker(at: pos) { return nil }
            } else {
                break
            }
        }
        return breaks == 0 ? [0x20] : [UInt8](repeating: 0x0A, count: breaks)
    }

    // MARK: - Quoted scalars

    /// A single- or double-quoted scalar, which may span lines.
    mutating func scanQuoted() throws -> [UInt8] {
        let start = mark
        let quote = peek()
        let double = quote == UInt8(ascii: "\"")
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < b.count else {
                throw error(
                    "unterminated \(double ? "double" : "single")-quoted string: add the closing \(double ? "\"" : "'")",
                    at: start)
            }
            let c = b[pos]
            if c == quote {
                if !double, peek(1) == quote {
                    out.append(quote)
                    pos += 2
                    continue
                }
                pos += 1
                return out
            }
            if double, c == UInt8(ascii: "\\") {
                try scanEscape(into: &out)
                continue
            }
            if c == 0x20 || c == 0x09 || isBreak(c) {
                let blanksStart = pos
                skipInlineSpaces()
                if isBreak(peek()) {
                    consumeBreak()
                    let breaks = try scanQuotedBreaks(start: start)
                    if breaks == 0 {
                        out.append(0x20)
                    } else {
                        out.append(contentsOf: repeatElement(0x0A, count: breaks))
                    }
                } else {
                    out.append(contentsOf: b[blanksStart..<pos])
                }
                continue
            }
            out.append(c)
            pos += 1
        }
    }

    /// Empty lines inside a quoted scalar, after a line break: their count (each keeps a newline).
    private mutating func scanQuotedBreaks(start: Mark) throws -> Int {
        var breaks = 0
        while true {
            if isDocumentMarker(at: pos) {
                throw error(
                    "a document marker ('---' or '...') inside a quoted string; add the closing quote", at: start)
            }
            skipInlineSpaces()
            guard isBreak(peek()) else { return breaks }
            consumeBreak()
            breaks += 1
        }
    }

    /// A backslash escape in a double-quoted scalar.
    private mutating func scanEscape(into out: inout [UInt8]) throws {
        let start = mark
        let e = peek(1)
        if isBreak(e) {  // an escaped line break joins the lines without a space
            pos += 1
            consumeBreak()
            let breaks = try scanQuotedBreaks(start: start)
            out.append(contentsOf: repeatElement(0x0A, count: breaks))
            return
        }
        pos += 2
        let simple: [UInt8: String] = [
            UInt8(ascii: "0"): "\u{0}", UInt8(ascii: "a"): "\u{7}", UInt8(ascii: "b"): "\u{8}",
            UInt8(ascii: "t"): "\t", 0x09: "\t", UInt8(ascii: "n"): "\n", UInt8(ascii: "v"): "\u{B}",
            UInt8(ascii: "f"): "\u{C}", UInt8(ascii: "r"): "\r", UInt8(ascii: "e"): "\u{1B}", 0x20: " ",
            UInt8(ascii: "\""): "\"", UInt8(ascii: "\\"): "\\", UInt8(ascii: "/"): "/", UInt8(ascii: "N"): "\u{85}",
            UInt8(ascii: "_"): "\u{A0}", UInt8(ascii: "L"): "\u{2028}", UInt8(ascii: "P"): "\u{2029}",
        ]
        if let s = simple[e] {
            out.append(contentsOf: s.utf8)
            return
        }
        let length: Int
        switch e {
        case UInt8(ascii: "x"): length = 2
        case UInt8(ascii: "u"): length = 4
        case UInt8(ascii: "U"): length = 8
        default:
            if e == 0 { throw error("unterminated double-quoted string: add the closing \"", at: start) }
            pos -= 1
            throw error(
                "unknown escape '\\\(currentCharacter())' in a double-quoted string; write '\\\\' for a backslash",
                at: start)
        }
        var code: UInt32 = try readHex(length, escapeStart: start)
        if (0xD800...0xDBFF).contains(code), peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") {
            let save = mark
            pos += 2
            let low = try readHex(4, escapeStart: start)
            if (0xDC00...0xDFFF).contains(low) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
                reset(to: save)
            }
        }
        guard let scalar = Unicode.Scalar(code) else {
            throw error("the escape '\\\(Character(Unicode.Scalar(e)))' does not name a Unicode character", at: start)
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func readHex(_ length: Int, escapeStart: Mark) throws -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<length {
            guard let v = YAMLScalarResolver.hexValue(peek()) else {
                throw error("expected \(length) hexadecimal digits in this escape", at: escapeStart)
            }
            code = code << 4 | UInt32(v)
            pos += 1
        }
        return code
    }

    // MARK: - Block scalars

    /// A literal (`|`) or folded (`>`) block scalar with its header (chomping `-`/`+`, indentation 1-9).
    mutating func scanBlockScalar(parentIndent: Int) throws -> [UInt8] {
        let folded = peek() == UInt8(ascii: ">")
        pos += 1
        var chomping = 0  // -1 strip, 0 clip, +1 keep
        var increment: Int?
        for _ in 0..<2 {
            let c = peek()
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                guard chomping == 0 else { throw error("the chomping indicator ('-' or '+') is given twice") }
                chomping = c == UInt8(ascii: "+") ? 1 : -1
                pos += 1
            } else if YAMLScalarResolver.isDigit(c) {
                guard increment == nil else { throw error("the indentation indicator is given twice") }
                guard c != UInt8(ascii: "0") else { throw error("the indentation indicator must be 1 to 9, not 0") }
                increment = Int(c - 0x30)
                pos += 1
            }
        }
        let beforeBlanks = pos
        skipInlineSpaces()
        if peek() == UInt8(ascii: "#"), pos > beforeBlanks { skipToEndOfLine() }
        guard atEnd || isBreak(peek()) else {
            throw error("expected a comment or a line break after the block scalar header ('|' or '>')")
        }
        if !atEnd { consumeBreak() }

        let minIndent = max(parentIndent + 1, 1)
        let indent: Int
        var breaks: Int
        if let increment {
            indent = minIndent + increment - 1
            breaks = scanBlockBreaks(indent: indent)
        } else {
            var maxIndent = 0
            breaks = 0
            while true {
                let c = peek()
                if c == 0x20 {
                    pos += 1
                    maxIndent = max(maxIndent, column)
                } else if isBreak(c) {
                    consumeBreak()
                    breaks += 1
                } else {
                    break
                }
            }
            indent = max(minIndent, maxIndent)
        }
        var out: [UInt8] = []
        var lineBreak = false
        while column == indent && !atEnd {
            out.append(contentsOf: repeatElement(0x0A, count: breaks))
            let leadingNonSpace = peek() != 0x20 && peek() != 0x09
            let start = pos
            skipToEndOfLine()
            out.append(contentsOf: b[start..<pos])
            lineBreak = !atEnd
            if lineBreak { consumeBreak() }
            breaks = scanBlockBreaks(indent: indent)
            guard column == indent && !atEnd else { break }
            if folded && lineBreak && leadingNonSpace && peek() != 0x20 && peek() != 0x09 {
                if breaks == 0 { out.append(0x20) }
            } else if lineBreak {
                out.append(0x0A)
            }
        }
        if chomping >= 0 && lineBreak { out.append(0x0A) }
        if chomping > 0 { out.append(contentsOf: repeatElement(0x0A, count: breaks)) }
        if !atEnd { pos = lineStart }  // the next line (less indented) starts the next node
        return out
    }

    /// Skips the indentation (up to `indent` spaces) of following empty lines; returns how many there were.
    private mutating func scanBlockBreaks(indent: Int) -> Int {
        var breaks = 0
        while column < indent && peek() == 0x20 { pos += 1 }
        while isBreak(peek()) {
            consumeBreak()
            breaks += 1
            while column < indent && peek() == 0x20 { pos += 1 }
        }
        return breaks
    }
}
