import PostgresClient
import PostgresTestSupport

/// Servers shared by the tests of this target, started on first use and shut down at process exit.
/// A server that cannot start makes every test that needs it fail (never skip).
enum TestServers {
    private static let plainServer = Result(catching: { try TestPostgresServer.start() })
    private static let tlsServer = Result(catching: { try TestPostgresServer.start(.init(tls: true)) })
    private static let md5Server = Result(catching: { try TestPostgresServer.start(.init(authMethod: "md5")) })

    /// SCRAM-SHA-256, ssl=off.
    static func plain() throws -> TestPostgresServer { try plainServer.get() }
    /// SCRAM-SHA-256, ssl=on with a test CA.
    static func tls() throws -> TestPostgresServer { try tlsServer.get() }
    /// md5 authentication, ssl=off.
    static func md5() throws -> TestPostgresServer { try md5Server.get() }

    /// A connection to a fresh database on the plain server.
    static func freshConnection() throws -> PostgresConnection {
        let server = try plain()
        return try PostgresConnection.connect(server.configuration(database: try server.createDatabase()))
    }
}
