import PostgresClient

/// Applies ``SchemaMigrations`` at start.
///
/// Everything happens in one transaction that first takes a transaction-level advisory lock, so replicas
/// starting together queue on the lock and each migration is applied exactly once: the first replica applies
/// them, the others find them recorded. DDL is transactional in PostgreSQL, so a failing migration leaves the
/// database as it was. A database whose recorded version is newer than this binary knows is refused: an old
/// binary must not run against a schema it does not understand (roll the newer version back out first).
public struct Migrator: Sendable {
    /// The advisory lock key (`pg_advisory_xact_lock`): "incident-platform migrations".
    public static let lockKey: Int64 = 0x696E_6369_6465_6E74

    /// Why migrating failed.
    public enum Failure: Error, CustomStringConvertible, Sendable {
        /// The database was migrated by a newer binary.
        case databaseNewer(databaseVersion: Int, binaryVersion: Int)
        /// A migration's SQL failed.
        case migrationFailed(version: Int, name: String, error: PostgresError)

        public var description: String {
            switch self {
            case .databaseNewer(let db, let binary):
                return "the database schema is at version \(db), newer than this binary's \(binary): "
                    + "run a binary at least as new as the one that migrated it (refusing to start)"
            case .migrationFailed(let version, let name, let error):
                return "migration \(version) (\(name)) failed: \(error)"
            }
        }
    }

    private let migrations: [Migration]

    /// A migrator for `migrations` (the schema's by default; tests pass their own).
    public init(migrations: [Migration] = SchemaMigrations.all) {
        self.migrations = migrations
    }

    /// Applies what is missing; returns the versions this call applied (empty when the schema was current).
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [Int] {
        try connection.transaction { db in
            try db.query("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
            try db.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let current = try db.query("SELECT coalesce(max(version), 0) AS version FROM schema_migrations")
                .rows[0].decode("version", as: Int.self)
            let latest = migrations.last?.version ?? 0
            if current > latest { throw Failure.databaseNewer(databaseVersion: current, binaryVersion: latest) }
            var applied: [Int] = []
            for migration in migrations where migration.version > current {
                do {
                    try db.execute(migration.sql)
                } catch let error as PostgresError {
                    throw Failure.migrationFailed(version: migration.version, name: migration.name, error: error)
                }
                try db.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name])
                applied.append(migration.version)
            }
            return applied
        }
    }
}
