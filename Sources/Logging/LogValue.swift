import TextSupport

/// A value in a log line's key-values: written as a JSON string, number or boolean.
///
/// String literals and interpolations, integer, floating-point and boolean literals convert implicitly:
/// `logger.info("applied", ["kind": "Deployment", "replicas": 3, "took": "\(ms) ms"])`.
public enum LogValue: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    /// A string.
    case string(String)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A boolean.
    case bool(Bool)

    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer value.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A floating-point value.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The value of an error, as its description.
    public static func error(_ error: any Error) -> LogValue { .string(String(describing: error)) }

    /// The value as text (the `text` log format).
    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        }
    }

    /// The JSON text of the value.
    var json: String {
        switch self {
        case .string(let s): return JSONString.quoted(s)
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? String(d) : JSONString.quoted(String(d))
        case .bool(let b): return String(b)
        }
    }
}
