/// Flow collections: `[a, b]` and `{a: 1, b: [x]}`, nested and over several lines.
extension YAMLParser {
    /// A flow sequence or mapping starting at `[` or `{`.
    mutating func parseFlowCollection() throws -> JSONValue {
        try enterCollection()
        defer { depth -= 1 }
        let start = mark
        let isSequence = peek() == UInt8(ascii: "[")
        pos += 1
        if isSequence {
            var items: [JSONValue] = []
            while true {
                try skipFlowSpace(start: start, closing: "]")
                if peek() == UInt8(ascii: "]") { pos += 1; break }
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
                try skipFlowSpace(start: start, closing: "]")
                if peek() == UInt8(ascii: ",") { pos += 1; continue }
                if peek() == UInt8(ascii: "]") { pos += 1; break }
                throw error("expected ',' or ']' in the flow sequence that starts at line \(start.line)")
            }
            return .array(items)
        }
        var explicit: [String: JSONValue] = [:]
        var mergeSources: [[String: JSONValue]] = []
        while true {
            try skipFlowSpace(start: start, closing: "}")
            if peek() == UInt8(ascii: "}") { pos += 1; break }
            let keyStart = mark
            let key = try parseFlowNode(start: start, closing: "}")
            try skipFlowSpace(start: start, closing: "}")
            var value: JSONValue = .null
            if peek() == UInt8(ascii: ":") {
                pos += 1
                value = try parseFlowValue(start: start, closing: "}")
            }
            if key.isMerge {
                switch value {
                case .object(let o): mergeSources.append(o)
                case .array(let list):
                    for item in list.reversed() {
                        guard case .object(let o) = item else {
                            throw error("a merge key '<<' takes a mapping or a list of mappings", at: keyStart)
                        }
                        mergeSources.append(o)
                    }
                default:
                    throw error("a merge key '<<' takes a mapping or a list of mappings, not a \(value.typeName)", at: keyStart)
                }
            } else {
                let name = try keyName(key.value, at: keyStart)
                guard explicit[name] == nil else {
                    throw error("duplicate key \"\(name)\" in this mapping; each key may appear only once", at: keyStart)
                }
                explicit[name] = value
            }
            try skipFlowSpace(start: start, closing: "}")
            if peek() == UInt8(ascii: ",") { pos += 1; continue }
            if peek() == UInt8(ascii: "}") { pos += 1; break }
            throw error("expected ',' or '}' in the flow mapping that starts at line \(start.line)")
        }
        var result: [String: JSONValue] = [:]
        for source in mergeSources { result.merge(source) { _, new in new } }
        result.merge(explicit) { _, new in new }
        return .object(result)
    }

    /// The value after `:` in a flow collection; `null` when the entry ends right there.
    private mutating func parseFlowValue(start: Mark, closing: Character) throws -> JSONValue {
        try skipFlowSpace(start: start, closing: closing)
        let c = peek()
        if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { return .null }
        return try parseFlowNode(start: start, closing: closing).value
    }

    /// One node inside a flow collection; `isMerge` for a plain `<<` key.
    private mutating func parseFlowNode(start: Mark, closing: Character) throws -> (value: JSONValue, isMerge: Bool) {
        var props = Properties()
        try parseProperties(into: &props, flow: true)
        try skipFlowSpace(start: start, closing: closing)
        let nodeStart = mark
        let c = peek()
        switch c {
        case UInt8(ascii: "*"):
            guard props.isEmpty else { throw error("an alias (*name) cannot have an anchor or a tag") }
            return (try parseAlias(), false)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            return (try collectionNode(try parseFlowCollection(), props: props, at: nodeStart), false)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return (try scalarNode(try scanQuoted(), plain: false, props: props, at: nodeStart), false)
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ":"):
            if c == UInt8(ascii: ":"), !isBlankOrBreakOrEnd(peek(1)), !isFlowIndicator(peek(1)) { break }
            if !props.isEmpty, c != UInt8(ascii: ":") { return (try emptyNode(props) ?? .null, false) }
            throw error("expected a value in the flow collection, found '\(currentCharacter())'")
        default:
            break
        }
        try checkPlainStart(flow: true)
        let text = scanPlain(minIndent: 0, flow: true)
        let isMerge = props.tag == nil && text == [UInt8(ascii: "<"), UInt8(ascii: "<")]
        return (try scalarNode(text, plain: true, props: props, at: nodeStart), isMerge)
    }

    /// Blanks, line breaks and comments inside a flow collection.
    private mutating func skipFlowSpace(start: Mark, closing: Character) throws {
        while true {
            let c = peek()
            if c == 0x20 || c == 0x09 {
                pos += 1
            } else if isBreak(c) {
                consumeBreak()
                if isDocumentMarker(at: pos) {
                    throw error("a document marker inside a flow collection; add the closing '\(closing)'", at: start)
                }
            } else if c == UInt8(ascii: "#"), pos == lineStart || isBlank(b[pos - 1]) {
                skipToEndOfLine()
            } else if atEnd {
                throw error("unterminated flow collection: add the closing '\(closing)'", at: start)
            } else {
                return
            }
        }
    }
}
