import Foundation
@testable import PostgresClient
import PostgresTestSupport
import Testing

@Suite("Connection pool")
struct PoolTests {
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var current = 0
        private(set) var peak = 0
        private(set) var errors: [Error] = []
        func enter() { lock.lock(); current += 1; peak = max(peak, current); lock.unlock() }
        func leave() { lock.lock(); current -= 1; lock.unlock() }
        func observe(_ value: Int) { lock.lock(); peak = max(peak, value); lock.unlock() }
        func record(_ error: Error) { lock.lock(); errors.append(error); lock.unlock() }
    }

    private func runThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.start()
        }
        group.wait()
    }

    @Test("20 threads share at most maxConnections connections, opened lazily")
    func bounded() throws {
        let server = try TestServers.plain()
        var settings = server.configuration(database: try server.createDatabase())
        settings.applicationName = "pool-bounded-\(UUID().uuidString.prefix(8))"
        let configuration = settings
        let pool = PostgresPool(configuration: configuration, maxConnections: 4, acquireTimeoutSeconds: 30)
        defer { pool.close() }
        #expect(pool.openConnections == 0)
        let counter = Counter()
        let serverPeak = Counter()
        runThreads(20) { index in
            do {
                for _ in 0..<3 {
                    try pool.withConnection { connection in
                        counter.enter()
                        defer { counter.leave() }
                        let row = try connection.query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1",
                                                       [configuration.applicationName]).rows[0]
                        serverPeak.observe(try row.decode("n", as: Int.self))
                        try connection.query("SELECT pg_sleep(0.02)")
                    }
                }
            } catch {
                counter.record(error)
            }
        }
        #expect(counter.errors.isEmpty, "\(counter.errors)")
        #expect(counter.peak <= 4)
        #expect(counter.peak >= 2)
        #expect(serverPeak.peak <= 4)
        #expect(pool.openConnections <= 4)
        #expect(pool.openConnections >= 1)
    }

    @Test("An exhausted pool answers .poolTimeout after acquireTimeoutSeconds")
    func exhausted() throws {
        let pool = PostgresPool(configuration: try TestServers.plain().configuration(), maxConnections: 1, acquireTimeoutSeconds: 0.3)
        defer { pool.close() }
        try pool.withConnection { _ in
            let started = Date()
            let error = try #require(throws: PostgresError.self) { try pool.withConnection { _ in } }
            #expect(error.kind == .poolTimeout)
            #expect(error.isConnectionFailure)
            let waited = Date().timeIntervalSince(started)
            #expect(waited >= 0.25 && waited < 3)
        }
        try pool.withConnection { try $0.query("SELECT 1") }
        #expect(pool.openConnections == 1)
    }

    @Test("Query errors do not poison the pool; a connection left inside a transaction is discarded")
    func errorsAndDiscards() throws {
        let pool = PostgresPool(configuration: try TestServers.plain().configuration(), maxConnections: 1)
        defer { pool.close() }
        let pid = try pool.withConnection { $0.backendProcessID }
        #expect(throws: PostgresError.self) { try pool.withConnection { try $0.query("SELECT nope") } }
        #expect(try pool.withConnection { $0.backendProcessID } == pid)
        try pool.withConnection { try $0.execute("BEGIN") }
        #expect(try pool.withConnection { $0.backendProcessID } != pid)
        #expect(pool.openConnections == 1)
    }

    @Test("withTransaction rolls back when the body throws")
    func poolTransaction() throws {
        struct Boom: Error {}
        let server = try TestServers.plain()
        let pool = PostgresPool(configuration: server.configuration(database: try server.createDatabase()), maxConnections: 2)
        defer { pool.close() }
        try pool.withConnection { try $0.execute("CREATE TABLE t (n int)") }
        #expect(throws: Boom.self) {
            try pool.withTransaction { connection in
                try connection.query("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        try pool.withTransaction { try $0.query("INSERT INTO t VALUES (2)") }
        let values = try pool.withConnection { try $0.query("SELECT n FROM t").rows.map { try $0.decode("n", as: Int.self) } }
        #expect(values == [2])
    }

    @Test("A closed pool refuses acquisitions and closes its connections")
    func closedPool() throws {
        let pool = PostgresPool(configuration: try TestServers.plain().configuration(), maxConnections: 2)
        try pool.withConnection { try $0.query("SELECT 1") }
        #expect(pool.openConnections == 1)
        pool.close()
        #expect(pool.openConnections == 0)
        let error = try #require(throws: PostgresError.self) { try pool.withConnection { _ in } }
        #expect(error.kind == .closed)
    }

    @Test("After a server restart the pool recovers: the next query succeeds on fresh connections")
    func restartRecovery() throws {
        let server = try TestPostgresServer.start()
        defer { server.shutdown() }
        let pool = PostgresPool(configuration: server.configuration(), maxConnections: 3)
        defer { pool.close() }
        // Open three connections and leave them idle in the pool.
        let counter = Counter()
        runThreads(3) { _ in
            do { try pool.withConnection { _ = try $0.query("SELECT pg_sleep(0.1)") } } catch { counter.record(error) }
        }
        #expect(counter.errors.isEmpty)
        #expect(pool.openConnections == 3)
        let before = try pool.withConnection { $0.backendProcessID }
        try server.restart()
        for _ in 0..<5 {
            let value = try pool.withConnection { try $0.query("SELECT 41 + 1 AS n").rows[0].decode("n", as: Int.self) }
            #expect(value == 42)
        }
        #expect(try pool.withConnection { $0.backendProcessID } != before)
        #expect(pool.openConnections <= 3)
        // While the server is down, requests fail as connection failures (callers answer 503), then recover.
        try server.stop()
        let error = try #require(throws: PostgresError.self) { try pool.withConnection { try $0.query("SELECT 1") } }
        #expect(error.isConnectionFailure)
        try server.start()
        #expect(try pool.withConnection { try $0.query("SELECT 1 AS one").rows[0].decode("one", as: Int.self) } == 1)
    }
}
