import FoundationEssentials
import PostgresClient
import TextSupport

/// Everything a service reads from its environment: exactly what the operator wires (`SERVICE_NAME`, `PORT`,
/// `DATABASE_*`, the `*_URL` peers, `PLATFORM_API_TOKEN`) plus optional tuning with safe defaults.
public struct ServiceConfiguration: Sendable {
    /// Which service this process is.
    public var component: ServiceComponent
    /// The address to listen on (`LISTEN_ADDRESS`, default `0.0.0.0`; tests use `127.0.0.1`).
    public var listenAddress: String
    /// The port (`PORT`, default 8000, 8080 for web-ui).
    public var port: Int
    /// The bearer token every `/api` write must carry (`PLATFORM_API_TOKEN`, at least 16 characters).
    public var apiToken: String
    /// The database, for the services that use one.
    public var database: PostgresConfiguration?
    /// Connections per process (`DATABASE_POOL_SIZE`, default 10).
    public var poolSize: Int
    /// Alerts per second one token may send to alert-ingestion (`INGEST_RATE_LIMIT`, default 500; 0 turns it off).
    public var ingestRateLimit: Double
    /// Alerts one token may send at once above the rate (`INGEST_RATE_BURST`, default 4 × the rate).
    public var ingestBurst: Double
    /// The peers' URLs the operator wires (`INCIDENT_MANAGEMENT_URL`, ...), by variable name.
    public var peerURLs: [String: String]

    /// The variables of the peers' URLs.
    public static let peerURLVariables = ["ALERT_INGESTION_URL", "INCIDENT_MANAGEMENT_URL", "ONCALL_SERVICE_URL"]

    /// Reads the configuration; `component` (from `serve COMPONENT`) wins over `SERVICE_NAME`.
    public static func load(_ env: [String: String], component: ServiceComponent? = nil) throws(ConfigurationError) -> ServiceConfiguration {
        func value(_ name: String) -> String? {
            guard let v = env[name]?.trimmingWhitespace(), !v.isEmpty else { return nil }
            return v
        }
        func required(_ name: String, _ purpose: String) throws(ConfigurationError) -> String {
            guard let v = value(name) else { throw ConfigurationError(variable: name, problem: "is not set; \(purpose)") }
            return v
        }
        func number(_ name: String, default fallback: Double, range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
            guard let text = value(name) else { return fallback }
            guard let n = Double(text), range.contains(n) else {
                throw ConfigurationError(variable: name, problem: "\"\(text)\" is not a number in \(Int(range.lowerBound))...\(Int(range.upperBound))")
            }
            return n
        }

        let resolved: ServiceComponent
        if let component {
            resolved = component
        } else {
            let name = try required("SERVICE_NAME", "set it to one of \(Self.componentList) or run `incident-platform serve COMPONENT`")
            guard let c = ServiceComponent(rawValue: name) else {
                throw ConfigurationError(variable: "SERVICE_NAME", problem: "\"\(name)\" is not a service; use one of \(Self.componentList)")
            }
            resolved = c
        }
        let port = Int(try number("PORT", default: Double(resolved.defaultPort), range: 1...65535))
        let token = try required("PLATFORM_API_TOKEN", "the operator sets it from the Secret <platform>-api-token (key token)")
        guard token.count >= 16 else {
            throw ConfigurationError(variable: "PLATFORM_API_TOKEN", problem: "is \(token.count) characters long; use at least 16 random characters")
        }
        var database: PostgresConfiguration?
        if resolved.usesDatabase {
            let dbPort = Int(try number("DATABASE_PORT", default: 5432, range: 1...65535))
            var config = PostgresConfiguration(
                host: try required("DATABASE_HOST", "the PostgreSQL host name"),
                port: dbPort,
                database: try required("DATABASE_NAME", "the PostgreSQL database name"),
                user: try required("DATABASE_USER", "the PostgreSQL user"),
                password: try required("DATABASE_PASSWORD", "the PostgreSQL password"))
            if let mode = value("DATABASE_SSLMODE") {
                guard let sslMode = PostgresSSLMode(rawValue: mode) else {
                    throw ConfigurationError(variable: "DATABASE_SSLMODE", problem: "\"\(mode)\" is not an sslmode; use one of "
                        + PostgresSSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                config.sslMode = sslMode
            }
            config.sslRootCertFile = value("DATABASE_SSLROOTCERT")
            config.applicationName = "incident-platform \(resolved.rawValue)"
            database = config
        }
        var peers: [String: String] = [:]
        for name in peerURLVariables {
            guard let url = value(name) else { continue }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigurationError(variable: name, problem: "\"\(url)\" is not an http:// or https:// URL")
            }
            peers[name] = url
        }
        let rate = try number("INGEST_RATE_LIMIT", default: 500, range: 0...1_000_000)
        return ServiceConfiguration(
            component: resolved,
            listenAddress: value("LISTEN_ADDRESS") ?? "0.0.0.0",
            port: port,
            apiToken: token,
            database: database,
            poolSize: Int(try number("DATABASE_POOL_SIZE", default: 10, range: 1...200)),
            ingestRateLimit: rate,
            ingestBurst: try number("INGEST_RATE_BURST", default: rate * 4, range: 0...10_000_000),
            peerURLs: peers)
    }

    static var componentList: String { ServiceComponent.allCases.map(\.rawValue).joined(separator: ", ") }
}
