import FoundationEssentials
import Hashing

/// A Swift value that can be bound as a query parameter. Parameters are sent in text format with type OID 0,
/// so the server infers the type from the SQL; cast where it cannot (`$1::jsonb`, `$2::timestamptz`).
public protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    /// The string itself.
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    /// The substring as a string.
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    /// Decimal digits.
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    /// Decimal digits.
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    /// Decimal digits.
    public var postgresText: String { String(self) }
}

extension Int16: PostgresEncodable {
    /// Decimal digits.
    public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
    /// Shortest round-tripping decimal; "NaN", "Infinity", "-Infinity" for the special values.
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return String(self)
    }
}

extension Bool: PostgresEncodable {
    /// "true" or "false".
    public var postgresText: String { self ? "true" : "false" }
}

extension Date: PostgresEncodable {
    /// ISO 8601 in UTC with microseconds, e.g. "2024-05-01 12:30:00.250000+00".
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// bytea hex format: "\x" and two hex digits a byte.
    public var postgresText: String { "\\x" + Hex.encode(self) }
}

extension UUID: PostgresEncodable {
    /// The canonical lowercase form.
    public var postgresText: String { uuidString.lowercased() }
}
