/// A Kubernetes label selector: a conjunction of requirements on an object's labels.
///
/// Parses both forms the API uses: the string form of `?labelSelector=` (`app=web,tier!=db,env in (a,b),!legacy`)
/// and the structured `{matchLabels, matchExpressions}` form of Deployment, Service and PodDisruptionBudget specs.
///
/// ```swift
/// let s = try LabelSelector(parsing: "app=web, env in (prod,staging), !canary")
/// s.matches(["app": "web", "env": "prod"])   // true
/// s.description                              // "!canary,app=web,env in (prod,staging)"
/// ```
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// How a requirement compares a label.
    public enum Operator: String, Sendable, Hashable {
        /// `key=value` / `key==value`: the label is present and equal.
        case equals
        /// `key!=value`: the label is absent or different.
        case notEquals
        /// `key in (a,b)`: the label is present and one of the values.
        case `in`
        /// `key notin (a,b)`: the label is absent or none of the values.
        case notIn
        /// `key`: the label is present.
        case exists
        /// `!key`: the label is absent.
        case doesNotExist
        /// `key>5`: the label is present and an integer greater than the value.
        case greaterThan
        /// `key<5`: the label is present and an integer less than the value.
        case lessThan
    }

    /// One condition on one label key.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The label key (`app`, `app.kubernetes.io/name`).
        public var key: String
        /// The comparison.
        public var op: Operator
        /// The values compared against, sorted (empty for `exists` / `doesNotExist`).
        public var values: [String]

        /// A requirement; `values` are sorted and de-duplicated. Not validated: use the parsing initializers
        /// for input from outside.
        public init(key: String, op: Operator, values: [String] = []) {
            self.key = key
            self.op = op
            self.values = Array(Set(values)).sorted()
        }

        /// Whether `labels` satisfy this requirement.
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .in:
                guard let value else { return false }
                return values.contains(value)
            case .notEquals, .notIn:
                guard let value else { return true }
                return !values.contains(value)
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let value, let actual = Int(value), let bound = values.first.flatMap({ Int($0) }) else { return false }
                return op == .greaterThan ? actual > bound : actual < bound
            }
        }

        /// The string form, as the API server prints it.
        public var description: String {
            switch op {
            case .equals: return "\(key)=\(values.first ?? "")"
            case .notEquals: return "\(key)!=\(values.first ?? "")"
            case .in: return "\(key) in (\(values.joined(separator: ",")))"
            case .notIn: return "\(key) notin (\(values.joined(separator: ",")))"
            case .exists: return key
            case .doesNotExist: return "!\(key)"
            case .greaterThan: return "\(key)>\(values.first ?? "")"
            case .lessThan: return "\(key)<\(values.first ?? "")"
            }
        }
    }

    /// A selector string or structure that is not valid; `message` is worded like the API server's.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, and where.
        public var message: String
        /// An error with the given message.
        public init(_ message: String) { self.message = message }
        /// The message.
        public var description: String { message }
    }

    /// The requirements, sorted by key; all must hold.
    public var requirements: [Requirement]

    /// A selector from requirements (sorted by key, then operator, for a stable `description`).
    public init(requirements: [Requirement]) {
        self.requirements = requirements.sorted { ($0.key, $0.op.rawValue) < ($1.key, $1.op.rawValue) }
    }

    /// The selector that matches every object (the empty string / `{}`).
    public static let everything = LabelSelector(requirements: [])

    /// True when there is no requirement: every object matches.
    public var isEverything: Bool { requirements.isEmpty }

    /// Whether `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// The canonical string form (requirements sorted by key, comma-separated).
    public var description: String { requirements.map(\.description).joined(separator: ",") }
}

// MARK: - String form

extension LabelSelector {
    /// Parses the string form: comma-separated requirements `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
    /// `a notin (x)`, `a`, `!a`, `a>1`, `a<1`; whitespace between tokens is ignored. Keys and values are
    /// checked like the API server checks them.
    ///
    /// - Throws: `ParseError`, e.g. `unable to parse requirement: found ')', expected: identifier`.
    public init(parsing text: String) throws {
        var lexer = LabelSelectorLexer(text)
        var parsed: [Requirement] = []
        while true {
            let token = lexer.peek()
            if token == .end { break }
            parsed.append(try Self.parseRequirement(&lexer))
            let next = lexer.next()
            switch next {
            case .end: break
            case .comma:
                if lexer.peek() == .end { throw ParseError("found '', expected: identifier after ','") }
                continue
            default:
                throw ParseError("found '\(next.literal)', expected: ',' or 'end of string'")
            }
            break
        }
        self.init(requirements: parsed)
    }

    private static func parseRequirement(_ lexer: inout LabelSelectorLexer) throws -> Requirement {
        var negated = false
        if lexer.peek() == .not {
            _ = lexer.next()
            negated = true
        }
        let keyToken = lexer.next()
        guard case .identifier(let key) = keyToken else {
            throw ParseError("unable to parse requirement: found '\(keyToken.literal)', expected: identifier")
        }
        try validateKey(key)
        if negated { return Requirement(key: key, op: .doesNotExist) }
        let opToken = lexer.peek()
        let op: Operator
        switch opToken {
        case .end, .comma: return Requirement(key: key, op: .exists)
        case .equals, .doubleEquals: op = .equals
        case .notEquals: op = .notEquals
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        case .identifier("in"): op = .in
        case .identifier("notin"): op = .notIn
        default:
            throw ParseError("unable to parse requirement: found '\(opToken.literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
        _ = lexer.next()
        var values: [String] = []
        if op == .in || op == .notIn {
            let open = lexer.next()
            guard open == .openParen else {
                throw ParseError("unable to parse requirement: found '\(open.literal)', expected: '('")
            }
            values = try parseValueList(&lexer)
        } else {
            switch lexer.peek() {
            case .identifier(let v):
                _ = lexer.next()
                values = [v]
            case .end, .comma: values = [""]
            case let other:
                throw ParseError("unable to parse requirement: found '\(other.literal)', expected: identifier")
            }
        }
        return try makeRequirement(key: key, op: op, values: values)
    }

    private static func parseValueList(_ lexer: inout LabelSelectorLexer) throws -> [String] {
        var values: [String] = []
        var expectValue = true
        while true {
            let token = lexer.next()
            switch token {
            case .closeParen:
                if expectValue && !values.isEmpty { values.append("") }
                return values
            case .identifier(let v) where expectValue:
                values.append(v)
                expectValue = false
            case .comma:
                if expectValue { values.append("") }
                expectValue = true
            default:
                throw ParseError("unable to parse requirement: found '\(token.literal)', expected: ',', ')' or identifier")
            }
        }
    }
}

// MARK: - Structured form

extension LabelSelector {
    /// Parses `{matchLabels: {k: v}, matchExpressions: [{key, operator: In|NotIn|Exists|DoesNotExist, values}]}`.
    /// `null` and `{}` select everything (as in a Service's or Deployment's selector).
    ///
    /// - Throws: `ParseError` naming the field, e.g. `matchExpressions[0].operator: Unsupported value: "Is"`.
    public init(selectorJSON json: JSONValue) throws {
        if json.isNull {
            self = .everything
            return
        }
        guard let object = json.objectValue else {
            throw ParseError("selector: Invalid value: \(json.typeName): must be an object with matchLabels and/or matchExpressions")
        }
        var parsed: [Requirement] = []
        if let matchLabels = object["matchLabels"], !matchLabels.isNull {
            guard let labels = matchLabels.objectValue else {
                throw ParseError("matchLabels: Invalid value: \(matchLabels.typeName): must be a map of strings")
            }
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
                guard let value = value.stringValue else {
                    throw ParseError("matchLabels.\(key): Invalid value: \(value.typeName): must be a string")
                }
                try Self.validateKey(key, field: "matchLabels")
                parsed.append(try Self.makeRequirement(key: key, op: .equals, values: [value], field: "matchLabels"))
            }
        }
        if let expressions = object["matchExpressions"], !expressions.isNull {
            guard let list = expressions.arrayValue else {
                throw ParseError("matchExpressions: Invalid value: \(expressions.typeName): must be a list")
            }
            for (index, expression) in list.enumerated() {
                let field = "matchExpressions[\(index)]"
                guard let key = expression["key"]?.stringValue else {
                    throw ParseError("\(field).key: Required value")
                }
                try Self.validateKey(key, field: "\(field).key")
                let opName = expression["operator"]?.stringValue ?? ""
                let op: Operator
                switch opName {
                case "In": op = .in
                case "NotIn": op = .notIn
                case "Exists": op = .exists
                case "DoesNotExist": op = .doesNotExist
                default:
                    throw ParseError(#"\#(field).operator: Unsupported value: "\#(opName)": supported values: "DoesNotExist", "Exists", "In", "NotIn""#)
                }
                var values: [String] = []
                if let raw = expression["values"], !raw.isNull {
                    guard let array = raw.arrayValue else {
                        throw ParseError("\(field).values: Invalid value: \(raw.typeName): must be a list of strings")
                    }
                    for (i, v) in array.enumerated() {
                        guard let s = v.stringValue else {
                            throw ParseError("\(field).values[\(i)]: Invalid value: \(v.typeName): must be a string")
                        }
                        values.append(s)
                    }
                }
                parsed.append(try Self.makeRequirement(key: key, op: op, values: values, field: field))
            }
        }
        self.init(requirements: parsed)
    }
}

// MARK: - Validation (k8s.io/apimachinery/pkg/util/validation)

extension LabelSelector {
    static func makeRequirement(key: String, op: Operator, values: [String], field: String? = nil) throws -> Requirement {
        let prefix = field.map { "\($0).values: " } ?? "values: "
        switch op {
        case .in, .notIn:
            if values.isEmpty {
                throw ParseError("\(field == nil ? "unable to parse requirement: " : "")\(prefix)Invalid value: []: for 'in', 'notin' operators, values set can't be empty")
            }
        case .equals, .notEquals:
            if values.count != 1 {
                throw ParseError("\(prefix)Invalid value: \(values): exact-match compatibility requires one single value")
            }
        case .exists, .doesNotExist:
            if !values.isEmpty {
                throw ParseError("\(prefix)Invalid value: \(values): values set must be empty for exists and does not exist")
            }
        case .greaterThan, .lessThan:
            if values.count != 1 || Int(values[0]) == nil {
                throw ParseError("unable to parse requirement: \(prefix)Invalid value: \(values): for 'Gt', 'Lt' operators, the value must be an integer")
            }
            return Requirement(key: key, op: op, values: values)
        }
        for (i, value) in values.enumerated() {
            if let problem = labelValueProblem(value) {
                let where_ = field == nil ? "values[\(i)][\(key)]" : "\(field ?? "").values[\(i)]"
                throw ParseError("\(field == nil ? "unable to parse requirement: " : "")\(where_): Invalid value: \"\(value)\": \(problem)")
            }
        }
        return Requirement(key: key, op: op, values: values)
    }

    static func validateKey(_ key: String, field: String? = nil) throws {
        if let problem = qualifiedNameProblem(key) {
            let label = field ?? "key"
            throw ParseError("\(field == nil ? "unable to parse requirement: " : "")\(label): Invalid value: \"\(key)\": \(problem)")
        }
    }

    private static let nameRegexText = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    private static let nameMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '\(nameRegexText)')"
    private static let valueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(\(nameRegexText))?')"
    private static let subdomainMessage = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    /// Why `key` is not a valid qualified name (`[prefix/]name`), or nil.
    static func qualifiedNameProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty { return "prefix part must be non-empty" }
            if prefix.count > 253 { return "prefix part must be no more than 253 characters" }
            if !isDNSSubdomain(prefix) { return subdomainMessage }
        default:
            return "a qualified name \(nameMessage.dropFirst("name part ".count)) with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if name.isEmpty { return "name part must be non-empty" }
        if name.count > 63 { return "name part must be no more than 63 characters" }
        if !isLabelName(name) { return nameMessage }
        return nil
    }

    /// Why `value` is not a valid label value, or nil.
    static func labelValueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if value.count > 63 { return "must be no more than 63 characters" }
        return isLabelName(Substring(value)) ? nil : valueMessage
    }

    private static func isAlphanumeric(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber)
    }

    private static func isLabelName(_ s: Substring) -> Bool {
        guard let first = s.first, let last = s.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return s.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    private static func isDNSSubdomain(_ s: Substring) -> Bool {
        s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, let last = part.last else { return false }
            let lowerAlnum: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber) }
            return lowerAlnum(first) && lowerAlnum(last) && part.allSatisfy { lowerAlnum($0) || $0 == "-" }
        }
    }
}

// MARK: - Lexer

/// Tokens of the selector string form, as in k8s.io/apimachinery/pkg/labels.
private enum LabelSelectorToken: Equatable {
    case identifier(String)
    case equals, doubleEquals, notEquals, not, greaterThan, lessThan
    case openParen, closeParen, comma
    case end

    var literal: String {
        switch self {
        case .identifier(let s): return s
        case .equals: return "="
        case .doubleEquals: return "=="
        case .notEquals: return "!="
        case .not: return "!"
        case .greaterThan: return ">"
        case .lessThan: return "<"
        case .openParen: return "("
        case .closeParen: return ")"
        case .comma: return ","
        case .end: return ""
        }
    }
}

private struct LabelSelectorLexer {
    private let chars: [Character]
    private var pos = 0
    private var lookahead: LabelSelectorToken?

    init(_ text: String) { chars = Array(text) }

    mutating func peek() -> LabelSelectorToken {
        if let lookahead { return lookahead }
        let t = scan()
        lookahead = t
        return t
    }

    mutating func next() -> LabelSelectorToken {
        if let t = lookahead {
            lookahead = nil
            return t
        }
        return scan()
    }

    private static func isSpecial(_ c: Character) -> Bool {
        c == "=" || c == "!" || c == "(" || c == ")" || c == "," || c == ">" || c == "<"
    }

    private mutating func scan() -> LabelSelectorToken {
        while pos < chars.count, chars[pos].isWhitespace { pos += 1 }
        guard pos < chars.count else { return .end }
        let c = chars[pos]
        let following: Character? = pos + 1 < chars.count ? chars[pos + 1] : nil
        switch c {
        case "=":
            pos += following == "=" ? 2 : 1
            return following == "=" ? .doubleEquals : .equals
        case "!":
            pos += following == "=" ? 2 : 1
            return following == "=" ? .notEquals : .not
        case "(": pos += 1; return .openParen
        case ")": pos += 1; return .closeParen
        case ",": pos += 1; return .comma
        case ">": pos += 1; return .greaterThan
        case "<": pos += 1; return .lessThan
        default:
            let start = pos
            while pos < chars.count, !chars[pos].isWhitespace, !Self.isSpecial(chars[pos]) { pos += 1 }
            return .identifier(String(chars[start..<pos]))
        }
    }
}
