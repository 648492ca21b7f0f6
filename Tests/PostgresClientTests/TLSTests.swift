@testable import PostgresClient
import PostgresTestSupport
import Testing

@Suite("TLS and sslmodes")
struct TLSTests {
    private func connect(_ server: TestPostgresServer, _ mode: PostgresSSLMode, rootCert: String? = nil,
                         host: String = "127.0.0.1") throws -> PostgresConnection {
        var configuration = server.configuration(sslMode: mode)
        configuration.sslRootCertFile = rootCert
        configuration.host = host
        return try PostgresConnection.connect(configuration)
    }

    private func serverSaysSSL(_ connection: PostgresConnection) throws -> Bool {
        try connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").rows[0].decode("ssl", as: Bool.self)
    }

    @Test("ssl=on server: disable and allow are plain; prefer and require use TLS", arguments: PostgresSSLMode.allCases.filter { ![.verifyCA, .verifyFull].contains($0) })
    func modesAgainstTLSServer(mode: PostgresSSLMode) throws {
        let connection = try connect(try TestServers.tls(), mode)
        defer { connection.close() }
        let expected = mode == .prefer || mode == .require
        #expect(connection.usesTLS == expected)
        #expect(try serverSaysSSL(connection) == expected)
    }

    @Test("verify-ca with the test CA")
    func verifyCA() throws {
        let server = try TestServers.tls()
        let connection = try connect(server, .verifyCA, rootCert: server.caCertificatePath)
        defer { connection.close() }
        #expect(connection.usesTLS)
        #expect(try serverSaysSSL(connection))
    }

    @Test("verify-full with host 127.0.0.1, and with the name localhost over hostaddr 127.0.0.1")
    func verifyFull() throws {
        let server = try TestServers.tls()
        for host in ["127.0.0.1", "localhost"] {
            var configuration = server.configuration(sslMode: .verifyFull)
            configuration.sslRootCertFile = server.caCertificatePath
            configuration.host = host
            configuration.hostAddress = "127.0.0.1"
            let connection = try PostgresConnection.connect(configuration)
            #expect(connection.usesTLS)
            #expect(try connection.query("SELECT 1 AS one").rows[0].decode("one", as: Int.self) == 1)
            connection.close()
        }
    }

    @Test("verify-full with a host name the certificate does not name fails, naming the sslmode")
    func verifyFullWrongHost() throws {
        let server = try TestServers.tls()
        // hostaddr 127.0.0.1 (where the server is), host name "db.example.invalid" (what verify-full checks).
        var configuration = server.configuration(sslMode: .verifyFull)
        configuration.sslRootCertFile = server.caCertificatePath
        configuration.host = "db.example.invalid"
        configuration.hostAddress = "127.0.0.1"
        let error = try #require(throws: PostgresError.self) { _ = try PostgresConnection.connect(configuration) }
        #expect(error.kind == .tls)
        #expect(error.message.contains("sslmode=verify-full"))
        #expect(error.message.contains("certificate verify failed"))
        #expect(error.isConnectionFailure)
    }

    @Test("verify-ca against a different CA fails")
    func verifyCAWrongCA() throws {
        let server = try TestServers.tls()
        let other = try server.makeUnrelatedCACertificate()
        let error = try #require(throws: PostgresError.self) { _ = try connect(server, .verifyCA, rootCert: other) }
        #expect(error.kind == .tls)
        #expect(error.message.contains("sslmode=verify-ca"))
        #expect(error.message.contains("certificate verify failed"))
    }

    @Test("require with a root certificate file verifies the chain (libpq's rule)")
    func requireWithRootCert() throws {
        let server = try TestServers.tls()
        let other = try server.makeUnrelatedCACertificate()
        #expect(throws: PostgresError.self) { _ = try connect(server, .require, rootCert: other) }
        let connection = try connect(server, .require, rootCert: server.caCertificatePath)
        #expect(connection.usesTLS)
        connection.close()
    }

    @Test("ssl=off server: prefer falls back to plain")
    func preferPlain() throws {
        let connection = try connect(try TestServers.plain(), .prefer)
        defer { connection.close() }
        #expect(!connection.usesTLS)
        #expect(try connection.query("SELECT 1 AS one").rows[0].decode("one", as: Int.self) == 1)
    }

    @Test("ssl=off server: require, verify-ca and verify-full fail with libpq's message",
          arguments: [PostgresSSLMode.require, .verifyCA, .verifyFull])
    func requireAgainstPlain(mode: PostgresSSLMode) throws {
        let error = try #require(throws: PostgresError.self) { _ = try connect(try TestServers.plain(), mode) }
        #expect(error.kind == .tls)
        #expect(error.message == "server does not support SSL, but sslmode=\(mode.rawValue)")
    }
}
