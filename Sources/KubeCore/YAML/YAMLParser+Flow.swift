/// Flow collections: `[a, b]` and `{a: 1, b: [x]}`, nested and over several lines.
extension YAMLParser {
    /// A node inside a flow collection: its value and whether it is a plain `<<` (a merge key).
    struct FlowNode {
        var value: JSONValue
        var isMerge = false
    }

    /// A flow sequence or mapping starting at `[` or `{`.
    mutating func parseFlowCollection() throws -> JSONValue {
        try enterCollection()
        defer { depth -= 1 }
        let start = mark
        let isSequence = peek() == UInt8(ascii: "[")
        pos += 1
        return isSequence ? try parseFlowSequence(start: start) : try parseFlowMapping(start: start)
    }

    /// The entries of a flow sequence after its `[`, and the `]`.
    private mutating func parseFlowSequence(start: Mark) throws -> JSONValue {
        var items: [JSONValue] = []
        while true {
            try skipFlowSpace(start: start, closing: "]")
            if peek() == UInt8(ascii: "]") { break }
            let entryStart = mark
            let entry = try parseFlowNode(start: start, closing: "]")
            try skipFlowSpace(start: start, closing: "]")
            if peek() == UInt8(ascii: ":") {  // a single-pair mapping: [a: 1]
                pos += 1
                let value = try parseFlowValue(start: start, closing: "]")
                items.append(.object([try keyName(entry.value, at: entryStart): value]))
            } else {
                items.append(entry.value)
            }
            guard try flowEntryContinues(start: start, closing: "]") else { break }
        }
        pos += 1
        return .array(items)
    }

    /// The entries of a flow mapping after its `{`, and the `}`.
    private mutating func parseFlowMapping(start: Mark) throws -> JSONValue {
        var mapping = YAMLMappingBuilder()
        while true {
            try skipFlowSpace(start: start, closing: "}")
            if peek() == UInt8(ascii: "}") { break }
            let keyStart = mark
            let key = try parseFlowNode(start: start, closing: "}")
            try skipFlowSpace(start: start, closing: "}")
            var value: JSONValue = .null
            if peek() == UInt8(ascii: ":") {
                pos += 1
                value = try parseFlowValue(start: start, closing: "}")
            }
            if key.isMerge {
                guard mapping.merge(value) else { throw fail(.badMerge(value), at: keyStart) }
            } else {
                let name = try keyName(key.value, at: keyStart)
                guard mapping.add(name, value) else { throw fail(.duplicateKey(name), at: keyStart) }
            }
            guard try flowEntryContinues(start: start, closing: "}") else { break }
        }
        pos += 1
        return mapping.build()
    }

    /// After an entry: `true` after a `,` (consumed), `false` at the closing bracket (not consumed).
    private mutating func flowEntryContinues(start: Mark, closing: Character) throws -> Bool {
        try skipFlowSpace(start: start, closing: closing)
        if peek() == UInt8(ascii: ",") {
            pos += 1
            return true
        }
        guard let ascii = closing.asciiValue, peek() == ascii else {
            throw fail(.flowSeparator(closing: closing, line: start.line))
        }
        return false
    }

    /// The value after `:` in a flow collection; `null` when the entry ends right there.
    private mutating func parseFlowValue(start: Mark, closing: Character) throws -> JSONValue {
        try skipFlowSpace(start: start, closing: closing)
        let c = peek()
        if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { return .null }
        return try parseFlowNode(start: start, closing: closing).value
    }

    /// One node inside a flow collection.
    private mutating func parseFlowNode(start: Mark, closing: Character) throws -> FlowNode {
        var props = YAMLNodeProperties()
        try parseProperties(into: &props, flow: true)
        try skipFlowSpace(start: start, closing: closing)
        let nodeStart = mark
        switch peek() {
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            return FlowNode(value: try collectionNode(try parseFlowCollection(), props: props, at: nodeStart))
        default:
            return try parseFlowScalar(props: props)
        }
    }

    /// An alias or a quoted or plain scalar inside a flow collection.
    private mutating func parseFlowScalar(props: YAMLNodeProperties) throws -> FlowNode {
        let nodeStart = mark
        let c = peek()
        switch c {
        case UInt8(ascii: "*"):
            guard props.isEmpty else { throw fail(.aliasWithProperties) }
            return FlowNode(value: try parseAlias())
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return FlowNode(value: try scalarNode(try scanQuoted(), plain: false, props: props, at: nodeStart))
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ":"):
            if c == UInt8(ascii: ":"), !isBlankOrBreakOrEnd(peek(1)), !isFlowIndicator(peek(1)) { break }
            if !props.isEmpty, c != UInt8(ascii: ":") { return FlowNode(value: try emptyNode(props) ?? .null) }
            throw fail(.flowValueExpected(found: currentCharacter()))
        default:
            break
        }
        try checkPlainStart(flow: true)
        let text = scanPlain(minIndent: 0, flow: true)
        let isMerge = props.tag == nil && text == [UInt8(ascii: "<"), UInt8(ascii: "<")]
        return FlowNode(value: try scalarNode(text, plain: true, props: props, at: nodeStart), isMerge: isMerge)
    }

    /// Blanks, line breaks and comments inside a flow collection.
    private mutating func skipFlowSpace(start: Mark, closing: Character) throws {
        while true {
            let c = peek()
            if c == 0x20 || c == 0x09 {
                pos += 1
            } else if isBreak(c) {
                consumeBreak()
                if isDocumentMarker(at: pos) { throw fail(.flowDocumentMarker(closing: closing), at: start) }
            } else if c == UInt8(ascii: "#"), pos == lineStart || isBlank(b[pos - 1]) {
                skipToEndOfLine()
            } else if atEnd {
                throw fail(.unterminatedFlow(closing: closing), at: start)
            } else {
                return
            }
        }
    }
}
