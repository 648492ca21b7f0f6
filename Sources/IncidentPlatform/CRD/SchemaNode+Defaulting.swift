import KubeCore

/// Type checks and defaulting of raw JSON against the schema, the way the API server does it for the CRD, but
/// reporting every problem (with its path and the fix) instead of the first one.
extension SchemaNode {
    /// Returns `value` with defaults filled in (`nil` when absent without a default), appending every problem
    /// found to `errors`. `null` counts as absent, as the API server prunes it before defaulting.
    func defaulted(_ value: JSONValue?, at path: String, errors: inout [PlatformValidationError]) -> JSONValue? {
        guard let value, !value.isNull else {
            guard let defaultValue else { return nil }
            // Fill the defaults nested in a defaulted `{}` too; a default never produces errors.
            var ignored: [PlatformValidationError] = []
            return defaulted(defaultValue, present: path, errors: &ignored)
        }
        return defaulted(value, present: path, errors: &errors)
    }

    private func defaulted(_ value: JSONValue, present path: String, errors: inout [PlatformValidationError]) -> JSONValue? {
        func fail(_ message: String) -> JSONValue? {
            errors.append(PlatformValidationError(path: path, message: message))
            return value
        }
        switch kind {
        case .object(let properties):
            guard let members = value.objectValue else { return fail("must be an object, got \(Self.describe(value))") }
            let known = properties.map(\.name)
            for key in members.keys.sorted() where !known.contains(key) {
                let suggestion = Self.closest(to: key, in: known).map { " (did you mean \"\($0)\"?)" } ?? ""
                errors.append(PlatformValidationError(
                    path: "\(path).\(key)", message: "unknown field; known fields are: \(known.joined(separator: ", "))\(suggestion)"))
            }
            var result: [String: JSONValue] = [:]
            for property in properties {
                let childPath = "\(path).\(property.name)"
                if let child = property.node.defaulted(members[property.name], at: childPath, errors: &errors) {
                    result[property.name] = child
                } else if required.contains(property.name) {
                    errors.append(PlatformValidationError(path: childPath, message: "is required"))
                }
            }
            return .object(result)
        case .map(let node):
            guard let members = value.objectValue else { return fail("must be an object, got \(Self.describe(value))") }
            var result: [String: JSONValue] = [:]
            for key in members.keys.sorted() {
                result[key] = node.defaulted(members[key], at: "\(path).\(key)", errors: &errors)
            }
            return .object(result)
        case .array(let node):
            guard let items = value.arrayValue else { return fail("must be a list, got \(Self.describe(value))") }
            var result: [JSONValue] = []
            var seen: [String: Int] = [:]
            for (index, item) in items.enumerated() {
                let itemPath = "\(path)[\(index)]"
                result.append(node.defaulted(item, at: itemPath, errors: &errors) ?? .null)
                for key in listMapKeys {
                    guard let k = item[key]?.stringValue else { continue }
                    if let first = seen[k] {
                        errors.append(PlatformValidationError(
                            path: "\(itemPath).\(key)", message: "duplicate \(key) \"\(k)\" (already at index \(first)); each \(key) may appear once"))
                    } else {
                        seen[k] = index
                    }
                }
            }
            return .array(result)
        case .string:
            guard let s = value.stringValue else { return fail("must be a string, got \(Self.describe(value))") }
            if let message = stringProblem(s) { return fail(message) }
            return value
        case .integer:
            guard case .int(let i) = value else { return fail("must be an integer, got \(Self.describe(value))") }
            if let message = rangeProblem(i) { return fail(message) }
            return value
        case .boolean:
            guard value.boolValue != nil else { return fail("must be true or false, got \(Self.describe(value))") }
            return value
        case .quantity(let example, let allowsInteger):
            let quantity: Quantity
            switch value {
            case .string(let s):
                do { quantity = try Quantity(parsing: s) } catch { return fail("\(error)") }
            case .int(let i) where allowsInteger:
                quantity = Quantity(units: i)
            default:
                let expected = allowsInteger ? "a quantity like \"\(example)\" or an integer" : "a string like \"\(example)\""
                return fail("must be \(expected), got \(Self.describe(value))")
            }
            if quantity.nanoValue <= 0 { return fail("must be greater than zero, got \(Self.describe(value))") }
            return value
        case .duration(let example):
            guard let s = value.stringValue else { return fail("must be a string like \"\(example)\", got \(Self.describe(value))") }
            do {
                let d = try PromDuration(parsing: s)
                if d.milliseconds <= 0 { return fail("must be greater than zero, got \"\(s)\"") }
            } catch {
                return fail("\(error)")
            }
            return value
        case .number(let minimum, let maximum):
            let d: Double
            switch value {
            case .int(let i): d = Double(i)
            case .double(let x): d = x
            default: return fail("must be a number, got \(Self.describe(value))")
            }
            if d < minimum || d > maximum {
                return fail("must be between \(Self.number(minimum)) and \(Self.number(maximum)), got \(Self.number(d))")
            }
            return value
        case .intOrPercent:
            switch value {
            case .int(let i):
                if let message = rangeProblem(i) { return fail(message) }
            case .string(let s) where s.hasSuffix("%") && Int(s.dropLast()) != nil:
                if let pattern, !Self.matches(s, pattern) {
                    return fail("\(patternMessage ?? "must match \(pattern)"), got \"\(s)\"")
                }
            default:
                return fail("must be an integer or a percentage like \"25%\", got \(Self.describe(value))")
            }
            return value
        }
    }

    private func stringProblem(_ s: String) -> String? {
        if !enumValues.isEmpty, !enumValues.contains(s) {
            return "must be one of \(enumValues.joined(separator: ", ")); got \"\(s)\""
        }
        if let maxLength, s.count > maxLength { return "must be at most \(maxLength) characters, got \(s.count)" }
        if let pattern, !Self.matches(s, pattern) {
            return "\(patternMessage ?? "must match \(pattern)"), got \"\(s)\""
        }
        return nil
    }

    private func rangeProblem(_ i: Int) -> String? {
        switch (minimum, maximum) {
        case (let lo?, let hi?) where i < lo || i > hi: "must be between \(lo) and \(hi), got \(i)"
        case (let lo?, nil) where i < lo: "must be at least \(lo), got \(i)"
        case (nil, let hi?) where i > hi: "must be at most \(hi), got \(i)"
        default: nil
        }
    }

    /// Whether the whole string matches the pattern (anchors included in the pattern).
    static func matches(_ s: String, _ pattern: String) -> Bool {
        CompiledPatterns.shared.wholeMatch(s, pattern)
    }

    /// A number as written in a manifest: `100`, `99.9`.
    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
    }

    /// `integer 10`, `string "abc"`, `object`, `list`.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "string \"\(s)\""
        case .int(let i): "integer \(i)"
        case .double(let d): "number \(d)"
        case .bool(let b): "boolean \(b)"
        case .array: "list"
        case .object: "object"
        case .null: "null"
        }
    }

    /// The known name closest to a misspelt one (edit distance <= 2, or equal ignoring case).
    static func closest(to key: String, in known: [String]) -> String? {
        let scored = known.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    /// The Levenshtein distance between two strings.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
