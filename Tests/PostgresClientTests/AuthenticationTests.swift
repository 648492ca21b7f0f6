@testable import PostgresClient
import PostgresTestSupport
import Testing

@Suite("Authentication against real servers")
struct AuthenticationTests {
    @Test("SCRAM-SHA-256 login; startup parameters are set")
    func scramLogin() throws {
        let server = try TestServers.plain()
        let connection = try PostgresConnection.connect(server.configuration())
        defer { connection.close() }
        #expect(connection.authenticationMethod == "scram-sha-256")
        #expect(!connection.usesTLS)
        #expect(connection.backendProcessID > 0)
        #expect(connection.serverParameters["TimeZone"] == "UTC")
        #expect(connection.serverParameters["DateStyle"]?.hasPrefix("ISO") == true)
        #expect(connection.serverParameters["client_encoding"] == "UTF8")
        #expect(connection.serverParameters["application_name"] == "incident-platform")
        let pid = try connection.query("SELECT pg_backend_pid() AS pid").rows[0].decode("pid", as: Int32.self)
        #expect(pid == connection.backendProcessID)
    }

    @Test("md5 login (the password is stored as an md5 hash, pg_hba says md5)")
    func md5Login() throws {
        let server = try TestServers.md5()
        let connection = try PostgresConnection.connect(server.configuration())
        defer { connection.close() }
        #expect(connection.authenticationMethod == "md5")
        let stored = try connection.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [server.superuser])
        #expect(try stored.rows[0].decode("rolpassword", as: String.self).hasPrefix("md5"))
    }

    @Test("A wrong password is an authentication error with the server's message", arguments: ["scram", "md5"])
    func wrongPassword(method: String) throws {
        let server = method == "md5" ? try TestServers.md5() : try TestServers.plain()
        var configuration = server.configuration()
        configuration.password = "not-the-password"
        do {
            _ = try PostgresConnection.connect(configuration)
            Issue.record("login with a wrong password succeeded")
        } catch let error as PostgresError {
            #expect(error.kind == .authentication)
            #expect(error.sqlState == "28P01")
            #expect(error.message.contains("password authentication failed for user \"postgres\""))
            #expect(!error.isConnectionFailure)
        }
    }

    @Test("No password when the server asks for one is an authentication error")
    func missingPassword() throws {
        var configuration = try TestServers.plain().configuration()
        configuration.password = nil
        #expect { _ = try PostgresConnection.connect(configuration) } throws: { error in
            (error as? PostgresError)?.kind == .authentication
        }
    }

    @Test("Nothing listening: a connection error")
    func nothingListening() throws {
        var configuration = PostgresConfiguration(host: "127.0.0.1", port: 1, database: "x", user: "x")
        configuration.connectTimeoutSeconds = 1
        #expect { _ = try PostgresConnection.connect(configuration) } throws: { error in
            (error as? PostgresError)?.kind == .connection && (error as? PostgresError)?.isConnectionFailure == true
        }
    }
}
