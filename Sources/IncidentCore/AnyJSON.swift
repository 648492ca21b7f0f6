import TextSupport

/// Any JSON value, decoded without a schema: the first pass over every body (to find NUL characters and to say
/// what was found where something else was expected) and PagerDuty's free-form `custom_details`.
enum AnyJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([AnyJSON])
    case object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: AnyJSON] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(AnyJSON.self, forKey: key) }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [AnyJSON] = []
            while !array.isAtEnd { elements.append(try array.decode(AnyJSON.self)) }
            self = .array(elements)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else if let int = try? value.decode(Int64.self) {
                self = .int(int)
            } else if let double = try? value.decode(Double.self) {
                self = .double(double)
            } else {
                self = .string(try value.decode(String.self))
            }
        }
    }

    /// The value at a decoding path, if there is one.
    func value(at path: [any CodingKey]) -> AnyJSON? {
        var current = self
        for key in path {
            switch current {
            case .object(let members):
                guard let next = members[key.stringValue] else { return nil }
                current = next
            case .array(let elements):
                guard let index = key.intValue, elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The path of the first string (or object key) that contains U+0000, in document order of keys sorted by
    /// name; `nil` when there is none.
    func pathOfNUL(under path: [any CodingKey] = []) -> [any CodingKey]? {
        switch self {
        case .string(let text):
            return text.unicodeScalars.contains("\u{0}") ? path : nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = element.pathOfNUL(under: path + [AnyKey(intValue: index)]) { return found }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted(by: AnyJSON.byUTF8) {
                let child = path + [AnyKey(stringValue: key)]
                if key.unicodeScalars.contains("\u{0}") { return child }
                if let found = members[key]!.pathOfNUL(under: child) { return found }
            }
            return nil
        case .null, .bool, .int, .double:
            return nil
        }
    }

    /// How messages name the value's type: "a string", "an object", ...
    var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Compact JSON text with object keys sorted by their UTF-8 bytes, non-ASCII characters kept as they are.
    var compactText: String {
        var text = ""
        write(to: &text)
        return text
    }

    private func write(to text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let bool): text += bool ? "true" : "false"
        case .int(let int): text += String(int)
        case .double(let double): text += double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : "\(double)"
        case .string(let string): text += JSONString.quoted(string)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.write(to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted(by: AnyJSON.byUTF8).enumerated() {
                if index > 0 { text += "," }
                text += JSONString.quoted(key)
                text += ":"
                members[key]!.write(to: &text)
            }
            text += "}"
        }
    }

    private static func byUTF8(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
