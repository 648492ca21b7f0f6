import Foundation

extension YAMLParser {
    /// Reads anchors and tags at the position (with blanks between and after them).
    mutating func parseProperties(into props: inout YAMLNodeProperties, flow: Bool) throws {
        while true {
            let c = peek()
            guard c == UInt8(ascii: "&") || c == UInt8(ascii: "!") else { return }
            let start = mark
            pos += 1
            let nameStart = pos
            let verbatim = c == UInt8(ascii: "!") && peek() == UInt8(ascii: "<")
            while pos < b.count {
                let ch = b[pos]
                if isBlankOrBreakOrEnd(ch) { break }
                if verbatim {  // !<tag:yaml.org,2002:str> may hold flow indicators
                    pos += 1
                    if ch == UInt8(ascii: ">") { break }
                    continue
                }
                if flow,
                    ch == UInt8(ascii: ",") || ch == UInt8(ascii: "]") || ch == UInt8(ascii: "}")
                        || ch == UInt8(ascii: "[") || ch == UInt8(ascii: "{")
                {
                    break
                }
                pos += 1
            }
            let name = String(decoding: b[nameStart..<pos], as: UTF8.self)
            if c == UInt8(ascii: "&") {
                guard !name.isEmpty else { throw error("an anchor needs a name after '&'", at: start) }
                guard props.anchor == nil else { throw error("a node may have only one anchor (&name)", at: start) }
                props.anchor = name
            } else {
                guard props.tag == nil else { throw error("a node may have only one tag (!tag)", at: start) }
                props.tag = Self.normalizeTag("!" + name)
            }
            skipInlineSpaces()
        }
    }

    /// `a` and `b` together; a node may have one anchor and one tag.
    func merge(_ a: YAMLNodeProperties, _ b: YAMLNodeProperties) throws -> YAMLNodeProperties {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        if a.anchor != nil && b.anchor != nil { throw error("a node may have only one anchor (&name)") }
        if a.tag != nil && b.tag != nil { throw error("a node may have only one tag (!tag)") }
        return YAMLNodeProperties(anchor: a.anchor ?? b.anchor, tag: a.tag ?? b.tag)
    }

    /// `!!int` and `!<tag:yaml.org,2002:int>` both become `tag:yaml.org,2002:int`; other tags stay as written.
    static func normalizeTag(_ tag: String) -> String {
        if tag.hasPrefix("!!") { return "tag:yaml.org,2002:" + tag.dropFirst(2) }
        if tag.hasPrefix("!<"), tag.hasSuffix(">") { return String(tag.dropFirst(2).dropLast()) }
        return tag
    }

    /// A tag as people write it: `!!int` for `tag:yaml.org,2002:int`.
    static func displayTag(_ tag: String) -> String {
        tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
    }

    /// `*name`: the value of an earlier anchor.
    mutating func parseAlias() throws -> JSONValue {
        let start = mark
        pos += 1
        let nameStart = pos
        while pos < b.count {
            let ch = b[pos]
            if isBlankOrBreakOrEnd(ch) || ch == UInt8(ascii: ",") || ch == UInt8(ascii: "]")
                || ch == UInt8(ascii: "}")
            {
                break
            }
            pos += 1
        }
        let name = String(decoding: b[nameStart..<pos], as: UTF8.self)
        guard !name.isEmpty else { throw error("an alias needs a name after '*'", at: start) }
        guard let anchor = anchors[name] else {
            throw error("unknown anchor '\(name)': define it with &\(name) before using *\(name)", at: start)
        }
        aliasNodes += anchor.size
        guard aliasNodes <= Self.maxAliasNodes else {
            throw error(
                "aliases expand to more than \(Self.maxAliasNodes) nodes in this document; "
                    + "refusing (this looks like a 'billion laughs' document)", at: start)
        }
        let save = mark
        skipInlineSpaces()
        if peek() == UInt8(ascii: ":"), isBlankOrBreakOrEnd(peek(1)) {
            throw error("an alias cannot be used as a mapping key; write the key out", at: start)
        }
        reset(to: save)
        return anchor.value
    }

    /// Records `value` under the anchor of `props`, if any.
    mutating func register(_ value: JSONValue, props: YAMLNodeProperties) {
        guard let anchor = props.anchor else { return }
        anchors[anchor] = (value, Self.nodeCount(value))
    }

    static func nodeCount(_ value: JSONValue) -> Int {
        switch value {
        case .array(let a): return a.reduce(1) { $0 + nodeCount($1) }
        case .object(let o): return o.values.reduce(1) { $0 + nodeCount($1) }
        default: return 1
        }
    }

    /// A node with properties but no content (`key: !!str` or `key: &a`), or `nil` without properties.
    mutating func emptyNode(_ props: YAMLNodeProperties) throws -> JSONValue? {
        if props.isEmpty { return nil }
        let value: JSONValue
        switch props.tag {
        case "tag:yaml.org,2002:str", "!": value = .string("")
        case "tag:yaml.org,2002:map": value = .object([:])
        case "tag:yaml.org,2002:seq": value = .array([])
        default: value = .null
        }
        register(value, props: props)
        return value
    }

    /// A scalar with its tag applied: plain scalars resolve as YAML 1.1 when untagged, quoted ones are strings.
    mutating func scalarNode(_ bytes: [UInt8], plain: Bool, props: YAMLNodeProperties, at mark: Mark) throws
        -> JSONValue
    {
        let value: JSONValue
        let text = { String(decoding: bytes, as: UTF8.self) }
        switch props.tag {
        case nil, "!":  // PyYAML resolves a plain scalar with the non-specific tag `!` as if untagged
            value = plain ? (YAMLScalarResolver.resolve(bytes[...]) ?? .string(text())) : .string(text())
        case "tag:yaml.org,2002:str", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:timestamp":
            value = .string(text())
        case "tag:yaml.org,2002:int":
            guard let v = YAMLScalarResolver.int(bytes[...]) else {
                throw error("!!int: '\(text())' is not an integer", at: mark)
            }
            value = v
        case "tag:yaml.org,2002:float":
            if let d = YAMLScalarResolver.float(bytes[...]) {
                value = .double(d)
            } else if case .int(let i)? = YAMLScalarResolver.int(bytes[...]) {
                value = .double(Double(i))
            } else if let d = Double(text().replacingOccurrences(of: "_", with: "")), d.isFinite {
                value = .double(d)
            } else {
                throw error("!!float: '\(text())' is not a number", at: mark)
            }
        case "tag:yaml.org,2002:bool":
            guard let v = YAMLScalarResolver.boolForTag(text()) else {
                throw error("!!bool: '\(text())' is not a boolean (true/false, yes/no, on/off)", at: mark)
            }
            value = .bool(v)
        case "tag:yaml.org,2002:null":
            value = .null
        case "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq":
            throw error("the tag \(Self.displayTag(props.tag ?? "")) cannot be applied to a scalar", at: mark)
        default:  // unknown tags are ignored
            value = plain ? (YAMLScalarResolver.resolve(bytes[...]) ?? .string(text())) : .string(text())
        }
        register(value, props: props)
        return value
    }

    /// A mapping or sequence with its properties checked and its anchor recorded.
    mutating func collectionNode(_ value: JSONValue, props: YAMLNodeProperties, at mark: Mark) throws -> JSONValue {
        switch (props.tag, value) {
        case (nil, _), ("tag:yaml.org,2002:map", .object), ("tag:yaml.org,2002:seq", .array):
            break
        case (let tag?, _) where tag.hasPrefix("tag:yaml.org,2002:"):
            throw error("the tag \(Self.displayTag(tag)) cannot be applied to \(Self.article(value.typeName))", at: mark)
        default:
            break  // unknown tags are ignored
        }
        register(value, props: props)
        return value
    }

    /// The string form of a mapping key, as JSON would write it (`1` -> "1", `true` -> "true", `~` -> "null").
    func keyName(_ key: JSONValue, at mark: Mark) throws -> String {
        switch key {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let v): return v ? "true" : "false"
        case .null: return "null"
        case .double(let d): return YAMLEmitter.pythonFloatRepr(d)
        case .array, .object:
            throw error("a mapping key must be a scalar, not \(Self.article(key.typeName))", at: mark)
        }
    }
}
