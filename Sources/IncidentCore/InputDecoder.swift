import FoundationEssentials

/// JSON input decoding: Foundation's `JSONDecoder`, with every failure turned into a ``ValidationError``.
///
/// - A body that is not JSON (including invalid UTF-8, or nesting deeper than 512): `.malformed`, field `""`,
///   message `request body is not valid JSON: <where>`.
/// - A value of the wrong JSON type, `null` where a value is required, a required field missing: `.malformed`
///   naming the field path (`alerts[2].status`) and what was expected.
/// - Any string or object key containing NUL (U+0000), anywhere in the body: `.invalid` naming the field
///   (PostgreSQL `text` cannot store it).
/// - Rules that the decoded types check themselves (limits, allowed values): `.invalid`, thrown as they are.
public enum InputDecoder {
    /// Decodes `body` as `type`.
    ///
    /// ```swift
    /// let incident = try InputDecoder.decode(NewIncident.self, from: Array(#"{"title":"DB down","severity":"high"}"#.utf8))
    /// ```
    public static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(ValidationError) -> T {
        let data = Data(body)
        let decoder = JSONDecoder()
        let tree: AnyJSON
        do {
            tree = try decoder.decode(AnyJSON.self, from: data)
        } catch {
            throw .malformed("", "request body is not valid JSON: \(syntaxProblem(error, bodyIsEmpty: data.isEmpty))")
        }
        if let path = tree.pathOfNUL() {
            let field = FieldPath.render(path)
            throw .invalid(field, "\(FieldPath.subject(field)) contains a NUL character (U+0000), which cannot be stored: remove it")
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as ValidationError {
            throw error
        } catch let error as DecodingError {
            throw describe(error, in: tree)
        } catch {
            throw .malformed("", "request body could not be decoded: \(error)")
        }
    }

    /// Whether a body is empty or only whitespace (the requests whose fields are all optional accept it).
    static func isBlank(_ body: [UInt8]) -> Bool {
        body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// What is wrong with a body that is not JSON. FoundationEssentials' parser does not say where the syntax
    /// breaks, so the message says what to check.
    private static func syntaxProblem(_ error: any Error, bodyIsEmpty: Bool) -> String {
        if bodyIsEmpty { return "the body is empty; send a JSON object" }
        if case DecodingError.dataCorrupted(let context) = error, let underlying = context.underlyingError {
            return "\(underlying)"
        }
        return "check the quotes, commas, brackets and that the text is UTF-8"
    }

    private static func describe(_ error: DecodingError, in tree: AnyJSON) -> ValidationError {
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = FieldPath.render(context.codingPath)
            let found = tree.value(at: context.codingPath)?.typeDescription ?? "nothing"
            return .malformed(field, "\(FieldPath.subject(field)) must be \(expectation(for: type)), not \(found)")
        case .keyNotFound(let key, let context):
            let field = FieldPath.render(context.codingPath + [key])
            return .malformed(field, "\(field) is required but missing")
        case .dataCorrupted(let context):
            let field = FieldPath.render(context.codingPath)
            return .malformed(field, "\(FieldPath.subject(field)) could not be read: \(context.debugDescription)")
        @unknown default:
            return .malformed("", "request body could not be decoded: \(error)")
        }
    }

    /// How messages name an expected type: "a string", "an object", ...
    private static func expectation(for type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Bool.self { return "true or false" }
        if type == Int.self || type == Int64.self || type == Int32.self || type == UInt.self || type == UInt64.self {
            return "an integer"
        }
        if type == Double.self || type == Float.self { return "a number" }
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") || name.hasPrefix("[") && name.contains(":") { return "an object" }
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
        return "a \(name)"
    }
}
