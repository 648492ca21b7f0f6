import Foundation
import IncidentStore
import PostgresClient
import Testing

@Suite("Schema migrations", .serialized)
struct MigrationTests {
    @Test func aFreshDatabaseIsMigratedOnceAndASecondRunAppliesNothing() throws {
        let h = try ServiceHarness()
        let db = try h.connection()
        defer { db.close() }
        #expect(try Migrator().migrate(db) == SchemaMigrations.all.map(\.version))
        #expect(try Migrator().migrate(db) == [])
        #expect(try h.count("schema_migrations") == SchemaMigrations.all.count)
        #expect(try h.count("incidents") == 0)
    }

    @Test func fiveReplicasStartingTogetherApplyEachMigrationOnce() throws {
        let h = try ServiceHarness()
        let config = h.databaseConfiguration
        let results = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 5) { _ in
            do {
                let db = try PostgresConnection.connect(config)
                defer { db.close() }
                results.append(.success(try Migrator().migrate(db)))
            } catch {
                results.append(.failure(error))
            }
        }
        let applied = try results.all.map { try $0.get() }
        #expect(applied.count == 5)
        #expect(applied.flatMap { $0 }.sorted() == SchemaMigrations.all.map(\.version))
        #expect(try h.count("schema_migrations") == SchemaMigrations.all.count)
    }

    @Test func aDatabaseNewerThanTheBinaryIsRefusedWithAClearMessage() throws {
        let h = try ServiceHarness()
        let db = try h.connection()
        defer { db.close() }
        try Migrator().migrate(db)
        try db.query("INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')", [SchemaMigrations.latestVersion + 1])
        #expect {
            try Migrator().migrate(db)
        } throws: { error in
            guard case Migrator.Failure.databaseNewer(let dbVersion, let binary)? = error as? Migrator.Failure else { return false }
            return dbVersion == SchemaMigrations.latestVersion + 1 && binary == SchemaMigrations.latestVersion
                && "\(error)".contains("newer than this binary")
        }
    }

    @Test func aFailingMigrationLeavesTheDatabaseAsItWas() throws {
        let h = try ServiceHarness()
        let db = try h.connection()
        defer { db.close() }
        let broken = Migrator(migrations: [
            Migration(version: 1, name: "good", sql: "CREATE TABLE first (id int)"),
            Migration(version: 2, name: "bad", sql: "CREATE TABLE second (id int); SELECT * FROM missing_table"),
        ])
        #expect {
            try broken.migrate(db)
        } throws: { error in
            guard case Migrator.Failure.migrationFailed(let version, _, let pg)? = error as? Migrator.Failure else { return false }
            return version == 2 && pg.sqlState == "42P01"
        }
        let tables = try db.query("SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('first', 'second', 'schema_migrations')")
        #expect(try tables.rows[0].decode("n", as: Int.self) == 0)
    }
}

/// Results gathered from threads.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[Int], any Error>] = []
    func append(_ r: Result<[Int], any Error>) { lock.withLock { results.append(r) } }
    var all: [Result<[Int], any Error>] { lock.withLock { results } }
}
