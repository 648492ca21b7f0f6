/// One versioned schema change: applied once, in version order, inside the migrator's transaction.
public struct Migration: Sendable {
    /// The version, from 1 upwards without gaps; recorded in `schema_migrations`.
    public let version: Int
    /// A short name, recorded beside the version.
    public let name: String
    /// The SQL, run with the simple query protocol (several statements are allowed; no parameters).
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
