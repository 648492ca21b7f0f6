/// Why a request body or query is unusable. `.malformed` → HTTP 400 (not JSON, wrong JSON type, missing required field);
/// `.invalid` → 422 (well-formed but breaks a rule).
///
/// `field` is a path into the body such as `alerts[0].labels`, `payload.severity` or `title`, the name of a query
/// parameter such as `limit`, or `""` for the whole body. `message` names the field and says what is expected:
///
/// ```swift
/// ValidationError(kind: .invalid, field: "severity",
///                 message: "severity must be one of critical, high, medium or low, not \"urgent\"")
/// ```
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP answer the error calls for.
    public enum Kind: Sendable {
        /// Not JSON, a value of the wrong JSON type, a required field missing: HTTP 400.
        case malformed
        /// Well-formed, but a value breaks a rule (a limit, an allowed value): HTTP 422.
        case invalid
    }

    /// Malformed or invalid.
    public let kind: Kind
    /// Where the problem is: `alerts[0].labels`, `title`, `limit`, or `""` for the whole body.
    public let field: String
    /// What is wrong and what is expected, naming the field.
    public let message: String

    /// An error from its parts; `message` should name `field`.
    public init(kind: Kind, field: String, message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    /// A malformed-request error (HTTP 400).
    public static func malformed(_ field: String, _ message: String) -> ValidationError {
        ValidationError(kind: .malformed, field: field, message: message)
    }

    /// A rule-breaking-request error (HTTP 422).
    public static func invalid(_ field: String, _ message: String) -> ValidationError {
        ValidationError(kind: .invalid, field: field, message: message)
    }

    /// The message.
    public var description: String { message }
}

extension ValidationError {
    /// An invalid-value error at a decoder's coding path; `problem` follows the field's name
    /// (`"must be one of ..."` gives `"severity must be one of ..."`).
    static func invalid(at path: [any CodingKey], _ problem: String) -> ValidationError {
        let field = FieldPath.render(path)
        return .invalid(field, "\(FieldPath.subject(field)) \(problem)")
    }
}
