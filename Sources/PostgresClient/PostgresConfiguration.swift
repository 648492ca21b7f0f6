/// Where and how to connect to a PostgreSQL server.
///
/// ```swift
/// var configuration = PostgresConfiguration(host: "db.internal", database: "incidents", user: "app",
///                                           password: secret, sslMode: .verifyFull, sslRootCertFile: "/etc/ssl/db-ca.pem")
/// configuration.queryTimeoutSeconds = 10
/// let connection = try PostgresConnection.connect(configuration)
/// ```
public struct PostgresConfiguration: Sendable {
    /// Host name or IP address (IPv4 or IPv6 literal).
    public var host: String
    /// The numeric address to connect to instead of resolving ``host`` (libpq's `hostaddr`); ``host`` is still
    /// the name checked by verify-full and sent as SNI.
    public var hostAddress: String?
    /// TCP port.
    public var port: Int
    /// Database name.
    public var database: String
    /// Role name.
    public var user: String
    /// Password for SCRAM-SHA-256, md5 or cleartext authentication; `nil` for trust.
    public var password: String?
    /// When to use TLS and what to verify; libpq's default is ``PostgresSSLMode/prefer``.
    public var sslMode: PostgresSSLMode
    /// CA bundle (PEM) that the server certificate must chain to. With `prefer` or `require` it turns
    /// verification on (libpq's behaviour when a root certificate exists).
    public var sslRootCertFile: String?
    /// Time allowed for the TCP connect, the TLS handshake and authentication together.
    public var connectTimeoutSeconds: Double
    /// Socket read timeout while waiting for a result; on expiry the connection is closed and the query
    /// fails with ``PostgresError/Kind/timeout``.
    public var queryTimeoutSeconds: Double
    /// Sent as `application_name` (visible in `pg_stat_activity`).
    public var applicationName: String

    /// A configuration with the defaults of libpq where they apply (port 5432, `sslmode=prefer`),
    /// a 5 s connect timeout, a 30 s query timeout and application name "incident-platform".
    public init(host: String, port: Int = 5432, database: String, user: String, password: String? = nil,
                sslMode: PostgresSSLMode = .prefer, sslRootCertFile: String? = nil) {
        self.host = host
        self.hostAddress = nil
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.sslMode = sslMode
        self.sslRootCertFile = sslRootCertFile
        self.connectTimeoutSeconds = 5
        self.queryTimeoutSeconds = 30
        self.applicationName = "incident-platform"
    }
}
