import Foundation
import KubeCore

/// JSON patch (RFC 6902, `application/json-patch+json`): a list of `add`, `remove`, `replace`, `move`,
/// `copy` and `test` operations on JSON pointers (RFC 6901, with `~0` / `~1` escapes and `-` for the end
/// of an array).
///
/// Errors are the API server's: a patch that is not a list of operations is `400 BadRequest`; an operation
/// that does not apply (missing path, failed test, unknown op) is `422 Invalid` with the reason in
/// `details.causes`, worded like the json-patch library the server uses.
enum JSONPatch {
    /// `target` after every operation, applied in order; all or nothing.
    static func apply(_ operations: JSONValue, to target: JSONValue) throws -> JSONValue {
        guard let list = operations.arrayValue else {
            throw APIStatus(code: 400, reason: .badRequest,
                            message: "json: cannot unmarshal \(operations.typeName) into Go value of type jsonpatch.Patch")
        }
        var document = target
        for operation in list {
            guard operation.objectValue != nil else {
                throw APIStatus(code: 400, reason: .badRequest,
                                message: "json: cannot unmarshal \(operation.typeName) into Go value of type jsonpatch.Operation")
            }
            try applyOne(operation, to: &document)
        }
        return document
    }

    /// The 422 the server answers when an operation does not apply.
    static func unprocessable(_ cause: String) -> APIStatus {
        APIStatus(code: 422, reason: .invalid,
                  message: "the server rejected our request due to an error in our request",
                  details: ["causes": [["reason": "UnexpectedServerResponse", "message": .string(cause)]]])
    }

    private static func applyOne(_ operation: JSONValue, to document: inout JSONValue) throws {
        let op = operation["op"]?.stringValue ?? ""
        guard let pathText = operation["path"]?.stringValue else {
            throw unprocessable("\(op) operation does not apply: missing 'path'")
        }
        let path = try JSONPointer(pathText, op: op)
        switch op {
        case "add":
            guard let value = operation["value"] else { throw unprocessable("add operation does not apply: missing 'value'") }
            try add(value, at: path, in: &document, op: op)
        case "remove":
            _ = try remove(at: path, in: &document, op: op)
        case "replace":
            guard let value = operation["value"] else { throw unprocessable("replace operation does not apply: missing 'value'") }
            guard get(path, in: document) != nil else {
                throw unprocessable("replace operation does not apply: doc is missing key: \(pathText): missing value")
            }
            if path.tokens.isEmpty {
                document = value
            } else {
                _ = try remove(at: path, in: &document, op: op)
                try add(value, at: path, in: &document, op: op)
            }
        case "move", "copy":
            guard let fromText = operation["from"]?.stringValue else {
                throw unprocessable("\(op) operation does not apply: missing 'from'")
            }
            let from = try JSONPointer(fromText, op: op)
            if op == "move", path.tokens.starts(with: from.tokens), path.tokens.count > from.tokens.count {
                throw unprocessable("move operation does not apply: cannot move \(fromText) into its own child \(pathText)")
            }
            let value: JSONValue
            if op == "move" {
                value = try remove(at: from, in: &document, op: op)
            } else {
                guard let found = get(from, in: document) else {
                    throw unprocessable("copy operation does not apply: doc is missing from path: \(fromText)")
                }
                value = found
            }
            try add(value, at: path, in: &document, op: op)
        case "test":
            let expected = operation["value"] ?? .null
            guard let actual = get(path, in: document), equal(actual, expected) else {
                throw unprocessable("testing value \(pathText) failed: test failed")
            }
        default:
            throw unprocessable("Unexpected kind: \(op)")
        }
    }

    /// Numbers compare by value (1 equals 1.0), as in Go.
    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int, .double), (.double, .int): return a.doubleValue == b.doubleValue
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        default: return a == b
        }
    }

    static func get(_ pointer: JSONPointer, in document: JSONValue) -> JSONValue? {
        var current = document
        for token in pointer.tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let i = arrayIndex(token, count: a.count, allowEnd: false) else { return nil }
                current = a[i]
            default: return nil
            }
        }
        return current
    }

    private static func add(_ value: JSONValue, at pointer: JSONPointer, in document: inout JSONValue, op: String) throws {
        guard let last = pointer.tokens.last else {
            document = value
            return
        }
        try modifyParent(of: pointer, in: &document, op: op) { parent in
            switch parent {
            case .object(var o):
                o[last] = value
                parent = .object(o)
            case .array(var a):
                guard let i = arrayIndex(last, count: a.count, allowEnd: true) else {
                    throw unprocessable("\(op) operation does not apply: doc is missing path: \(pointer.text): index out of bounds: \(last)")
                }
                a.insert(value, at: i)
                parent = .array(a)
            default:
                throw unprocessable("\(op) operation does not apply: doc is missing path: \(pointer.text)")
            }
        }
    }

    private static func remove(at pointer: JSONPointer, in document: inout JSONValue, op: String) throws -> JSONValue {
        guard let last = pointer.tokens.last else {
            throw unprocessable("\(op) operation does not apply: cannot remove the whole document")
        }
        var removed: JSONValue = .null
        try modifyParent(of: pointer, in: &document, op: op) { parent in
            switch parent {
            case .object(var o):
                guard let value = o.removeValue(forKey: last) else {
                    throw unprocessable("\(op) operation does not apply: doc is missing path: \(pointer.text)")
                }
                removed = value
                parent = .object(o)
            case .array(var a):
                guard let i = arrayIndex(last, count: a.count, allowEnd: false) else {
                    throw unprocessable("\(op) operation does not apply: doc is missing path: \(pointer.text): index out of bounds: \(last)")
                }
                removed = a.remove(at: i)
                parent = .array(a)
            default:
                throw unprocessable("\(op) operation does not apply: doc is missing path: \(pointer.text)")
            }
        }
        return removed
    }

    /// Runs `body` on the container holding the pointer's last token, writing the change back.
    private static func modifyParent(of pointer: JSONPointer, in document: inout JSONValue, op: String,
                                     _ body: (inout JSONValue) throws -> Void) throws {
        func descend(_ node: inout JSONValue, _ tokens: ArraySlice<String>) throws {
            guard tokens.count > 1, let token = tokens.first else {
                try body(&node)
                return
            }
            switch node {
            case .object(var o):
                guard var child = o[token] else {
                    throw unprocessable("\(op) operation does not apply: doc is missing path: \(pointer.text)")
                }
                o[token] = nil
                try descend(&child, tokens.dropFirst())
                o[token] = child
                node = .object(o)
            case .array(var a):
                guard let i = arrayIndex(token, count: a.count, allowEnd: false) else {
                    throw unprocessable("\(op) operation does not apply: doc is missing path: \(pointer.text)")
                }
                try descend(&a[i], tokens.dropFirst())
                node = .array(a)
            default:
                throw unprocessable("\(op) operation does not apply: doc is missing path: \(pointer.text)")
            }
        }
        try descend(&document, pointer.tokens[...])
    }

    /// The index a token names in an array of `count` elements (`-` is the end when `allowEnd`).
    private static func arrayIndex(_ token: String, count: Int, allowEnd: Bool) -> Int? {
        if token == "-" { return allowEnd ? count : nil }
        guard !token.isEmpty, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber),
              token == "0" || !token.hasPrefix("0"), let i = Int(token) else { return nil }
        return i < count || (allowEnd && i == count) ? i : nil
    }
}

/// An RFC 6901 JSON pointer: `/spec/containers/0/image`, with `~1` for `/` and `~0` for `~`.
struct JSONPointer: Sendable, Equatable {
    /// The pointer as written.
    var text: String
    /// The unescaped reference tokens.
    var tokens: [String]

    init(_ text: String, op: String) throws {
        self.text = text
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw JSONPatch.unprocessable("\(op) operation does not apply: invalid JSON pointer \"\(text)\": must start with '/'")
        }
        tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }
}
