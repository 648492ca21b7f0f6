/// A recursive-descent parser for block YAML over UTF-8 bytes.
///
/// Structure (this file): the stream of documents, block mappings, block sequences and the dispatch to the node
/// kinds. Scalars are scanned in `YAMLParser+Scalars.swift`, flow collections in `YAMLParser+Flow.swift`,
/// anchors, aliases and tags in `YAMLParser+Properties.swift`.
///
/// Conventions: positions are byte offsets; `column` is the 0-based byte offset in the line (indentation is
/// ASCII spaces, so it equals the character column there). After a node, the position is either at the end of
/// its text on its last line (`finishLine()` then checks what follows) or at the start of the next line.
struct YAMLParser {
    /// One document of a YAML stream and the line where it starts.
    struct Document {
        var value: JSONValue
        var line: Int
    }

    /// A saved position.
    struct Mark {
        var pos: Int
        var line: Int
        var lineStart: Int
    }

    /// Where the node being parsed stands, which decides what may start on the current line.
    enum Context {
        /// After `key:` on the same line: no block collection may start here.
        case mappingValue
        /// After `- ` on the same line: a compact mapping or sequence may start here.
        case sequenceEntry
        /// After `---` on the same line, or at the start of a line.
        case document
    }

    /// Deepest nesting of collections accepted; deeper input is rejected instead of exhausting the stack.
    static let maxDepth = 100
    /// Most nodes that aliases may expand to in one document ("billion laughs" protection).
    static let maxAliasNodes = 1_000_000

    let b: [UInt8]
    var pos = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    var anchors: [String: (value: JSONValue, size: Int)] = [:]
    var aliasNodes = 0

    init(text: String) {
        b = Array(text.utf8)
    }

    // MARK: - Stream and documents

    /// Every non-empty document of the stream.
    mutating func parseStream() throws -> [Document] {
        try checkCharacters()
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
            pos = 3
            lineStart = 3
        }
        var documents: [Document] = []
        while true {
            try skipBlankLines()
            while !atEnd, peek() == UInt8(ascii: "%") {  // %YAML and %TAG directives are ignored
                skipToEndOfLine()
                if !atEnd { consumeBreak() }
                try skipBlankLines()
            }
            if atEnd { break }
            let startLine = line
            anchors = [:]
            aliasNodes = 0
            var value: JSONValue?
            if isDocumentMarker(at: pos) {
                if peek() == UInt8(ascii: ".") {  // a document end marker without a document
                    pos += 3
                    try finishLine()
                    continue
                }
                pos += 3
                value = try parseNodeAfterIndicator(parentIndent: -1, context: .document)
            } else {
                value = try parseNodeOnFollowingLines(parentIndent: -1, context: .document, props: YAMLNodeProperties())
            }
            try finishLine()
            try skipBlankLines()
            if !atEnd {
                guard isDocumentMarker(at: pos) else {
                    let indent = try lineIndent()
                    pos += indent
                    throw fail(.contentAfterDocument)
                }
                if peek() == UInt8(ascii: ".") {
                    pos += 3
                    try finishLine()
                }
            }
            if let value { documents.append(Document(value: value, line: startLine)) }
        }
        return documents
    }

    /// Rejects control characters that YAML does not allow in a stream (they must be escaped in a
    /// double-quoted string).
    private mutating func checkCharacters() throws {
        let bad = b.withUnsafeBufferPointer { buffer -> Int? in
            for i in 0..<buffer.count {
                let c = buffer[i]
                if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F { return i }
            }
            return nil
        }
        if let i = bad {
            let c = b[i]
            var mark = Mark(pos: 0, line: 1, lineStart: 0)
            for j in 0..<i where b[j] == 0x0A {
                mark.line += 1
                mark.lineStart = j + 1
            }
            mark.pos = i
            let hex = String(c, radix: 16, uppercase: true)
            throw error(
                "control character U+\(hex.count < 2 ? "000" : "00")\(hex) is not allowed in YAML; "
                    + "write it as an escape in a double-quoted string", at: mark)
        }
    }

    // MARK: - Nodes

    /// The node after an indicator (`key:`, `- `, `---`) on the current line, or on the following lines if the
    /// line ends there. `nil` when there is no node at all (no content and no properties).
    mutating func parseNodeAfterIndicator(parentIndent: Int, context: Context) throws -> JSONValue? {
        skipInlineSpaces()
        let nodeColumn = column
        var props = YAMLNodeProperties()
        try parseProperties(into: &props, flow: false)
        if atCommentOrLineEnd() {
            try finishLine()
            try skipBlankLines()
            return try parseNodeOnFollowingLines(parentIndent: parentIndent, context: context, props: props)
        }
        return try parseInlineNode(
            parentIndent: parentIndent, context: context, nodeProps: YAMLNodeProperties(), lineProps: props,
            nodeColumn: nodeColumn)
    }

    /// The node that starts on a following line (the position is at a line start after blank lines), indented
    /// more than `parentIndent`; or a kubectl-style sequence at the key's own indentation.
    mutating func parseNodeOnFollowingLines(parentIndent: Int, context: Context, props: YAMLNodeProperties) throws
        -> JSONValue?
    {
        guard !atEnd, !isDocumentMarker(at: pos) else { return try emptyNode(props) }
        let indent = try lineIndent()
        if indent > parentIndent {
            pos += indent
            return try parseInlineNode(
                parentIndent: parentIndent, context: .document, nodeProps: props, lineProps: YAMLNodeProperties())
        }
        if indent == parentIndent, context == .mappingValue, peek(indent) == UInt8(ascii: "-"),
            isBlankOrBreakOrEnd(peek(indent + 1))
        {
            pos += indent
            return try parseBlockSequence(indent: indent, props: props)
        }
        return try emptyNode(props)
    }

    /// The node that starts at the current position (not a blank or a comment). `nodeProps` came from earlier
    /// lines and belong to the node; `lineProps` were read on this line and belong to the first key if a
    /// mapping starts here.
    /// `nodeColumn` is where the node's first token (possibly a property) stands, when it is not the position.
    mutating func parseInlineNode(
        parentIndent: Int, context: Context, nodeProps: YAMLNodeProperties, lineProps: YAMLNodeProperties,
        nodeColumn: Int? = nil
    ) throws -> JSONValue? {
        let nodeColumn = nodeColumn ?? column
        var lineProps = lineProps
        try parseProperties(into: &lineProps, flow: false)
        if atCommentOrLineEnd() {  // properties alone on a line: the node is on the next lines
            let props = try merge(nodeProps, lineProps)
            try finishLine()
            try skipBlankLines()
            return try parseNodeOnFollowingLines(parentIndent: parentIndent, context: context, props: props)
        }
        let c = peek()
        if c == UInt8(ascii: "-"), isBlankOrBreakOrEnd(peek(1)) {
            guard context != .mappingValue else { throw fail(.sequenceOnKeyLine) }
            guard lineProps.isEmpty else { throw fail(.propertiesBeforeDash) }
            return try parseBlockSequence(indent: column, props: nodeProps)
        }
        if c == UInt8(ascii: ":"), isBlankOrBreakOrEnd(peek(1)) { throw fail(.missingKey) }
        if c == UInt8(ascii: "?"), isBlankOrBreakOrEnd(peek(1)) { throw fail(.complexKey) }
        if let colon = implicitKeyColon() {
            guard context != .mappingValue else { throw fail(.valueNotAllowed, at: colon) }
            // The mapping is indented where its first key's properties (if any) start, as in PyYAML.
            return try parseBlockMapping(
                indent: lineProps.isEmpty ? column : nodeColumn, props: nodeProps, firstKeyProps: lineProps)
        }
        return try parseLeafNode(parentIndent: parentIndent, props: try merge(nodeProps, lineProps))
    }

    /// A node that is not a block collection: an alias, a block, quoted or plain scalar, or a flow collection.
    private mutating func parseLeafNode(parentIndent: Int, props: YAMLNodeProperties) throws -> JSONValue {
        let start = mark
        switch peek() {
        case UInt8(ascii: "*"):
            guard props.isEmpty else { throw fail(.aliasWithProperties, at: start) }
            return try parseAlias()
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            let text = try scanBlockScalar(parentIndent: parentIndent)
            return try scalarNode(text, plain: false, props: props, at: start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let text = try scanQuoted()
            return try scalarNode(text, plain: false, props: props, at: start)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let value = try parseFlowCollection()
            return try collectionNode(value, props: props, at: start)
        default:
            try checkPlainStart(flow: false)
            let text = scanPlain(minIndent: parentIndent + 1, flow: false)
            return try scalarNode(text, plain: true, props: props, at: start)
        }
    }

    // MARK: - Block collections

    /// A block mapping whose first key is at the current position, at column `indent`.
    mutating func parseBlockMapping(indent: Int, props: YAMLNodeProperties, firstKeyProps: YAMLNodeProperties) throws
        -> JSONValue
    {
        try enterCollection()
        defer { depth -= 1 }
        let start = mark
        var mapping = YAMLMappingBuilder()
        var keyProps = firstKeyProps
        while true {
            let keyMark = mark
            let key = try parseBlockKey(props: keyProps)
            keyProps = YAMLNodeProperties()
            let value = try parseNodeAfterIndicator(parentIndent: indent, context: .mappingValue) ?? .null
            if key.isMerge {
                guard mapping.merge(value) else { throw fail(.badMerge(value), at: keyMark) }
            } else {
                guard mapping.add(key.name, value) else { throw fail(.duplicateKey(key.name), at: keyMark) }
            }
            try finishLine()
            try skipBlankLines()
            if atEnd || isDocumentMarker(at: pos) { break }
            let lineIndent = try lineIndent()
            if lineIndent < indent { break }
            pos += lineIndent
            guard lineIndent == indent else { throw fail(.mappingIndentation(column: indent + 1)) }
            if peek() == UInt8(ascii: "-"), isBlankOrBreakOrEnd(peek(1)) { throw fail(.sequenceBetweenKeys) }
            try parseProperties(into: &keyProps, flow: false)
            guard implicitKeyColon() != nil else { throw fail(.expectedKey) }
        }
        return try collectionNode(mapping.build(), props: props, at: start)
    }

    /// A block sequence whose first `-` is at the current position, at column `indent`.
    mutating func parseBlockSequence(indent: Int, props: YAMLNodeProperties) throws -> JSONValue {
        try enterCollection()
        defer { depth -= 1 }
        let start = mark
        var items: [JSONValue] = []
        while true {
            pos += 1  // the '-'
            items.append(try parseNodeAfterIndicator(parentIndent: indent, context: .sequenceEntry) ?? .null)
            try finishLine()
            try skipBlankLines()
            if atEnd || isDocumentMarker(at: pos) { break }
            let lineIndent = try lineIndent()
            if lineIndent < indent { break }
            if lineIndent > indent {
                pos += lineIndent
                throw fail(.sequenceIndentation(column: indent + 1))
            }
            guard peek(lineIndent) == UInt8(ascii: "-"), isBlankOrBreakOrEnd(peek(lineIndent + 1)) else { break }
            pos += lineIndent
        }
        return try collectionNode(.array(items), props: props, at: start)
    }

    /// A key of a block mapping up to and including its `:`.
    private mutating func parseBlockKey(props: YAMLNodeProperties) throws -> (name: String, isMerge: Bool) {
        let start = mark
        let c = peek()
        let key: JSONValue
        var isMerge = false
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            key = try scalarNode(try scanQuoted(), plain: false, props: props, at: start)
        } else {
            let keyStart = pos
            var end = pos
            while !atEnd {
                let ch = peek()
                if isBreak(ch) { break }
                if ch == UInt8(ascii: ":"), isBlankOrBreakOrEnd(peek(1)) { break }
                pos += 1
                if ch != UInt8(ascii: " ") && ch != UInt8(ascii: "\t") { end = pos }
            }
            pos = end
            let text = Array(b[keyStart..<end])
            isMerge = props.tag == nil && text == [UInt8(ascii: "<"), UInt8(ascii: "<")]
            key = try scalarNode(text, plain: true, props: props, at: start)
        }
        skipInlineSpaces()
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after the mapping key") }
        pos += 1
        return (try keyName(key, at: start), isMerge)
    }

    /// The position of the `:` if an implicit key (plain or quoted, on this line) starts at the current position.
    func implicitKeyColon() -> Mark? {
        var i = pos
        let c = peek()
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            i += 1
            while true {
                guard i < b.count, !isBreak(b[i]) else { return nil }
                if c == UInt8(ascii: "\"") {
                    if b[i] == UInt8(ascii: "\\") {
                        i += 2
                        continue
                    }
                    if b[i] == c {
                        i += 1
                        break
                    }
                } else if b[i] == c {
                    if i + 1 < b.count, b[i + 1] == c {
                        i += 2
                        continue
                    }
                    i += 1
                    break
                }
                i += 1
            }
            while i < b.count, b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "\t") { i += 1 }
            guard i < b.count, b[i] == UInt8(ascii: ":"), isBlankOrBreakOrEnd(i + 1 < b.count ? b[i + 1] : 0) else {
                return nil
            }
            return Mark(pos: i, line: line, lineStart: lineStart)
        }
        switch c {
        case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "*"), UInt8(ascii: "&"), UInt8(ascii: "!"),
            UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"):
            return nil
        default: break
        }
        while i < b.count {
            let ch = b[i]
            if isBreak(ch) { return nil }
            if ch == UInt8(ascii: ":"), isBlankOrBreakOrEnd(i + 1 < b.count ? b[i + 1] : 0) {
                return Mark(pos: i, line: line, lineStart: lineStart)
            }
            if ch == UInt8(ascii: "#"), i > pos, b[i - 1] == UInt8(ascii: " ") || b[i - 1] == UInt8(ascii: "\t") {
                return nil
            }
            i += 1
        }
        return nil
    }

    mutating func enterCollection() throws {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail(.tooDeep) }
    }

    // MARK: - Lines

    var atEnd: Bool { pos >= b.count }
    var column: Int { pos - lineStart }
    var mark: Mark { Mark(pos: pos, line: line, lineStart: lineStart) }

    mutating func reset(to mark: Mark) {
        pos = mark.pos
        line = mark.line
        lineStart = mark.lineStart
    }

    /// The byte at `pos + offset`, or 0 past the end (the input holds no NUL bytes).
    func peek(_ offset: Int = 0) -> UInt8 {
        let i = pos + offset
        return i < b.count ? b[i] : 0
    }

    func isBreak(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }
    func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    func isBlankOrBreakOrEnd(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0 }

    mutating func consumeBreak() {
        if peek() == 0x0D { pos += 1 }
        if peek() == 0x0A { pos += 1 }
        line += 1
        lineStart = pos
    }

    mutating func skipToEndOfLine() {
        while pos < b.count, !isBreak(b[pos]) { pos += 1 }
    }

    mutating func skipInlineSpaces() {
        while pos < b.count, b[pos] == 0x20 || b[pos] == 0x09 { pos += 1 }
    }

    /// True at a comment (after blanks), a line break or the end.
    func atCommentOrLineEnd() -> Bool {
        let c = peek()
        if c == UInt8(ascii: "#") { return pos == lineStart || isBlank(b[pos - 1]) }
        return c == 0 || isBreak(c)
    }

    /// `---` or `...` at `i` (a line start) followed by a blank, a break or the end.
    func isDocumentMarker(at i: Int) -> Bool {
        guard i == lineStart || i == 0, i + 2 < b.count else { return false }
        let c = b[i]
        guard c == UInt8(ascii: "-") || c == UInt8(ascii: "."), b[i + 1] == c, b[i + 2] == c else { return false }
        return isBlankOrBreakOrEnd(i + 3 < b.count ? b[i + 3] : 0)
    }

    /// After a node: blanks, an optional comment, then the line break (consumed) or the end.
    mutating func finishLine() throws {
        if pos == lineStart { return }
        skipInlineSpaces()
        if peek() == UInt8(ascii: "#") {
            guard pos == lineStart || isBlank(b[pos - 1]) else {
                throw error("a comment needs a space before '#'")
            }
            skipToEndOfLine()
        }
        if atEnd { return }
        if isBreak(peek()) {
            consumeBreak()
            return
        }
        if peek() == UInt8(ascii: ":") { throw fail(.valueNotAllowed) }
        throw error("unexpected character '\(currentCharacter())' after the value; quote the value if it belongs to it")
    }

    /// Skips empty lines and comment lines; stops at the start of the next line with content, or the end.
    mutating func skipBlankLines() throws {
        while pos < b.count {
            var i = pos
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            if i == b.count {
                pos = i
                return
            }
            if isBreak(b[i]) {
                pos = i
                consumeBreak()
            } else if b[i] == UInt8(ascii: "#") {
                pos = i
                skipToEndOfLine()
                if !atEnd { consumeBreak() }
            } else {
                return
            }
        }
    }

    /// Number of spaces that indent the line starting at `pos`; tabs there are an error.
    func lineIndent() throws -> Int {
        var i = pos
        while i < b.count, b[i] == 0x20 { i += 1 }
        if i < b.count, b[i] == 0x09 {
            throw error(
                "tabs are not allowed for indentation; indent with spaces",
                at: Mark(pos: i, line: line, lineStart: lineStart))
        }
        return i - pos
    }

    /// The character at the position, for messages.
    func currentCharacter() -> String {
        var end = pos + 1
        while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: b[pos..<min(end, b.count)], as: UTF8.self)
    }

    /// An error at `mark` (default: the current position), the column counted in Unicode scalars.
    func error(_ message: String, at mark: Mark? = nil) -> YAMLError {
        let m = mark ?? self.mark
        var col = 1
        var i = m.lineStart
        while i < m.pos && i < b.count {
            if b[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        return YAMLError(line: m.line, column: col, message: message)
    }
}
