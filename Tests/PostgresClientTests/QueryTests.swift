import Foundation
@testable import PostgresClient
import PostgresTestSupport
import Testing

@Suite("Queries against a real server")
struct QueryTests {
    @Test("Bound parameters with SQL metacharacters, unicode and long strings round-trip unchanged")
    func parameterRoundTrip() throws {
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        try connection.execute("CREATE TABLE x (id serial PRIMARY KEY, value text NOT NULL)")
        let values = ["'; DROP TABLE x; --", "\"quoted\" \\ backslash $1 $$ dollar", "emoji 🔥🚒 ünïcødé 日本語",
                      String(repeating: "long ✓ ", count: 200_000), "", "line\nbreak\ttab"]
        for value in values {
            let inserted = try connection.query("INSERT INTO x (value) VALUES ($1) RETURNING id, value", [value])
            #expect(inserted.affectedRows == 1)
            let id = try inserted.rows[0].decode("id", as: Int.self)
            let read = try connection.query("SELECT value, length(value) AS chars FROM x WHERE id = $1", [id])
            #expect(try read.rows[0].decode("value", as: String.self) == value)
            #expect(try read.rows[0].decode("chars", as: Int.self) == value.count)
        }
        #expect(try connection.query("SELECT count(*) AS n FROM x").rows[0].decode("n", as: Int.self) == values.count)
    }

    @Test("Types round-trip: integers, double, bool, timestamptz, bytea, text, uuid")
    func typesRoundTrip() throws {
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        let date = Date(timeIntervalSince1970: 1_714_566_600.123456)
        let bytes: [UInt8] = [0, 1, 2, 0x7f, 0x80, 0xff]
        let uuid = UUID()
        let row = try connection.query(
            "SELECT $1::int8 AS i8, $2::int4 AS i4, $3::int AS i, $4::float8 AS d, $5::bool AS b, $6::timestamptz AS t, $7::bytea AS y, $8::text AS s, $9::uuid AS u, $10::float8 AS inf",
            [Int64.max, Int32.min, 42, 3.141592653589793, true, date, bytes, "text", uuid, Double.infinity]
        ).rows[0]
        #expect(try row.decode("i8", as: Int64.self) == .max)
        #expect(try row.decode("i4", as: Int32.self) == .min)
        #expect(try row.decode("i", as: Int.self) == 42)
        #expect(try row.decode("d", as: Double.self) == 3.141592653589793)
        #expect(try row.decode("b", as: Bool.self))
        let decodedDate = try row.decode("t", as: Date.self)
        #expect(abs(decodedDate.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
        #expect(decodedDate.postgresText == date.postgresText)
        #expect(try row.decode("y", as: [UInt8].self) == bytes)
        #expect(try row.decode("s", as: String.self) == "text")
        #expect(try row.decode("u", as: UUID.self) == uuid)
        #expect(try row.decode("inf", as: Double.self) == .infinity)
        #expect(try row.decode(0, as: Int64.self) == .max)
        #expect(row.columns.map(\.typeOID) == [20, 23, 23, 701, 16, 1184, 17, 25, 2950, 701])
    }

    @Test("now() decodes as a Date in UTC close to the client's clock")
    func serverTime() throws {
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        let row = try connection.query("SELECT now() AS t, now()::text AS text").rows[0]
        #expect(abs(try row.decode("t", as: Date.self).timeIntervalSinceNow) < 60)
        #expect(try row.decode("text", as: String.self).hasSuffix("+00"))
    }

    @Test("NULLs: bound nil, Optional parameters, decoding into Optional and the error for non-optionals")
    func nulls() throws {
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        let missing: String? = nil
        let present: Int? = 7
        let row = try connection.query("SELECT $1::text AS a, $2::int AS b, $3::int AS c", [nil, missing, present]).rows[0]
        #expect(try row.decode("a", as: String?.self) == nil)
        #expect(try row.decode("b", as: Int?.self) == nil)
        #expect(try row.decode("c", as: Int?.self) == 7)
        let error = try #require(throws: PostgresError.self) { try row.decode("a", as: String.self) }
        #expect(error.kind == .decoding)
        #expect(error.message.contains("\"a\""))
    }

    @Test("A unique violation carries SQLSTATE 23505, the constraint and the detail; the connection stays usable")
    func uniqueViolation() throws {
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        try connection.execute("CREATE TABLE users (id serial PRIMARY KEY, email text CONSTRAINT users_email_key UNIQUE)")
        try connection.query("INSERT INTO users (email) VALUES ($1)", ["a@example.com"])
        let error = try #require(throws: PostgresError.self) {
            try connection.query("INSERT INTO users (email) VALUES ($1)", ["a@example.com"])
        }
        #expect(error.kind == .server)
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "users_email_key")
        #expect(error.detail?.contains("a@example.com") == true)
        #expect(error.severity == "ERROR")
        #expect(!error.isConnectionFailure)
        #expect(!connection.isClosed)
        #expect(try connection.query("SELECT count(*) AS n FROM users").rows[0].decode("n", as: Int.self) == 1)
    }

    @Test("Errors of every phase leave the connection usable: syntax, bad parameter, execute()")
    func usableAfterErrors() throws {
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        #expect(throws: PostgresError.self) { try connection.query("SELEC 1") }
        #expect(throws: PostgresError.self) { try connection.query("SELECT $1::int AS n", ["not a number"]) }
        #expect(throws: PostgresError.self) { try connection.query("SELECT 1/0") }
        #expect(throws: PostgresError.self) { try connection.execute("SELECT 1; SELECT nope; SELECT 3") }
        #expect(try connection.query("SELECT $1::int + 1 AS n", [41]).rows[0].decode("n", as: Int.self) == 42)
        #expect(connection.transactionStatus == UInt8(ascii: "I"))
    }

    @Test("execute() runs several statements")
    func executeMany() throws {
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        try connection.execute("CREATE TABLE a (n int); INSERT INTO a VALUES (1), (2); INSERT INTO a VALUES (3)")
        let result = try connection.query("SELECT n FROM a ORDER BY n")
        #expect(try result.rows.map { try $0.decode("n", as: Int.self) } == [1, 2, 3])
        #expect(result.commandTag == "SELECT 3")
        #expect(try connection.query("").rows.isEmpty)
    }

    @Test("transaction: commit on success, rollback when the body throws, 25P02 when a swallowed error aborted it")
    func transactions() throws {
        struct Boom: Error {}
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (n int PRIMARY KEY)")
        let value = try connection.transaction { try $0.query("INSERT INTO t VALUES ($1)", [1]).affectedRows }
        #expect(value == 1)
        #expect(throws: Boom.self) {
            try connection.transaction { connection in
                try connection.query("INSERT INTO t VALUES ($1)", [2])
                #expect(connection.transactionStatus == UInt8(ascii: "T"))
                throw Boom()
            }
        }
        #expect(connection.transactionStatus == UInt8(ascii: "I"))
        let error = try #require(throws: PostgresError.self) {
            try connection.transaction { connection in
                try connection.query("INSERT INTO t VALUES ($1)", [3])
                _ = try? connection.query("INSERT INTO t VALUES ($1)", [1])
            }
        }
        #expect(error.sqlState == "25P02")
        let rows = try connection.query("SELECT n FROM t ORDER BY n").rows
        #expect(try rows.map { try $0.decode("n", as: Int.self) } == [1])
    }

    @Test("A query that outlives queryTimeoutSeconds fails with .timeout and closes the connection; the server cancels it")
    func queryTimeout() throws {
        let server = try TestServers.plain()
        var configuration = server.configuration()
        configuration.queryTimeoutSeconds = 0.3
        configuration.applicationName = "timeout-test"
        let connection = try PostgresConnection.connect(configuration)
        let started = Date()
        let error = try #require(throws: PostgresError.self) { try connection.query("SELECT pg_sleep(5)") }
        #expect(error.kind == .timeout)
        #expect(error.isConnectionFailure)
        #expect(connection.isClosed)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
    }

    @Test("Throughput: single-row INSERTs per second on loopback (printed; at least 500/s)")
    func insertThroughput() throws {
        let connection = try TestServers.freshConnection()
        defer { connection.close() }
        try connection.execute("CREATE TABLE events (id bigserial PRIMARY KEY, service text NOT NULL, payload text, at timestamptz NOT NULL)")
        let count = 3000
        let started = Date()
        for index in 0..<count {
            try connection.query("INSERT INTO events (service, payload, at) VALUES ($1, $2, $3)",
                                 ["svc-\(index % 7)", "{\"n\": \(index)}", Date()])
        }
        let elapsed = Date().timeIntervalSince(started)
        let rate = Double(count) / elapsed
        print("PostgresClient throughput: \(count) single-row INSERTs in \(String(format: "%.2f", elapsed)) s = \(Int(rate))/s")
        #expect(rate > 500)
        #expect(try connection.query("SELECT count(*) AS n FROM events").rows[0].decode("n", as: Int.self) == count)
    }
}
