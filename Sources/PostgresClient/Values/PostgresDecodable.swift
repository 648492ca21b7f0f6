import FoundationEssentials
import Hashing

/// A Swift type that a column's text-format value decodes into.
public protocol PostgresDecodable {
    /// Decodes the text output of a non-NULL value of `column`.
    static func decode(postgresText: String, column: PostgresColumn) throws -> Self

    /// The value for a NULL: an error naming the column for every type but `Optional`.
    static func decodeNull(column: PostgresColumn) throws -> Self
}

extension PostgresDecodable {
    /// Throws: NULL only decodes into an `Optional`.
    public static func decodeNull(column: PostgresColumn) throws -> Self {
        throw PostgresError(kind: .decoding, message: "column \"\(column.name)\" is NULL, which cannot be decoded as \(Self.self) (decode as \(Self.self)? instead)")
    }

    /// The decoding error for `text` in `column`.
    static func decodingError(_ text: String, _ column: PostgresColumn) -> PostgresError {
        let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
        return PostgresError(kind: .decoding, message: "column \"\(column.name)\" (type OID \(column.typeOID)): cannot decode \"\(shown)\" as \(Self.self)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// The wrapped type's decoding.
    public static func decode(postgresText: String, column: PostgresColumn) throws -> Wrapped? {
        try Wrapped.decode(postgresText: postgresText, column: column)
    }

    /// `nil`.
    public static func decodeNull(column: PostgresColumn) throws -> Wrapped? { nil }
}

extension String: PostgresDecodable {
    /// The text as it is (any column type has a text form).
    public static func decode(postgresText: String, column: PostgresColumn) throws -> String { postgresText }
}

extension PostgresDecodable where Self: FixedWidthInteger {
    /// Decimal digits (int2, int4, int8, oid) within the type's range.
    public static func decode(postgresText: String, column: PostgresColumn) throws -> Self {
        guard let value = Self(postgresText, radix: 10) else { throw decodingError(postgresText, column) }
        return value
    }
}

extension Int: PostgresDecodable {}
extension Int64: PostgresDecodable {}
extension Int32: PostgresDecodable {}
extension Int16: PostgresDecodable {}

extension Double: PostgresDecodable {
    /// float4, float8 or numeric text, including "NaN", "Infinity" and "-Infinity".
    public static func decode(postgresText: String, column: PostgresColumn) throws -> Double {
        switch postgresText {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(postgresText) else { throw decodingError(postgresText, column) }
            return value
        }
    }
}

extension Bool: PostgresDecodable {
    /// "t" or "f" (also "true" / "false").
    public static func decode(postgresText: String, column: PostgresColumn) throws -> Bool {
        switch postgresText {
        case "t", "true": return true
        case "f", "false": return false
        default: throw decodingError(postgresText, column)
        }
    }
}

extension Date: PostgresDecodable {
    /// timestamptz / timestamp / date text output with DateStyle ISO (the connection sets TimeZone UTC);
    /// "infinity" and "-infinity" become `distantFuture` and `distantPast`.
    public static func decode(postgresText: String, column: PostgresColumn) throws -> Date {
        guard let date = PostgresTimestamp.parse(postgresText) else { throw decodingError(postgresText, column) }
        return date
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// bytea hex output ("\x…").
    public static func decode(postgresText: String, column: PostgresColumn) throws -> [UInt8] {
        guard postgresText.hasPrefix("\\x"), let bytes = Hex.decode(postgresText.dropFirst(2)) else {
            throw decodingError(postgresText, column)
        }
        return bytes
    }
}

extension UUID: PostgresDecodable {
    /// The canonical text form.
    public static func decode(postgresText: String, column: PostgresColumn) throws -> UUID {
        guard let value = UUID(uuidString: postgresText) else { throw decodingError(postgresText, column) }
        return value
    }
}
