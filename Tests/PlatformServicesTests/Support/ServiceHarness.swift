import Foundation
import HTTPServer
import IncidentStore
import Logging
import PlatformServices
import PostgresClient
import PostgresTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One PostgreSQL server per test process (started on first use, removed at exit), a fresh database per test,
/// and services of the platform on free loopback ports.
final class ServiceHarness: @unchecked Sendable {
    static let token = "test-token-0123456789abcdef"

    /// The shared server. Tests that stop or restart PostgreSQL start their own instead.
    nonisolated(unsafe) static var sharedServer: TestPostgresServer?
    static let lock = NSLock()

    static func server() throws -> TestPostgresServer {
        try lock.withLock {
            if let s = sharedServer { return s }
            let s = try TestPostgresServer.start()
            sharedServer = s
            atexit { ServiceHarness.sharedServer?.shutdown() }
            return s
        }
    }

    let postgres: TestPostgresServer
    let database: String
    private var running: [(HTTPServer, PostgresPool?)] = []
    let logs = LogSink.memory()

    /// A harness on a fresh database of the shared server (or of `server`).
    init(server: TestPostgresServer? = nil) throws {
        postgres = try server ?? Self.server()
        database = try postgres.createDatabase()
    }

    deinit { stopAll() }

    var databaseConfiguration: PostgresConfiguration { postgres.configuration(database: database) }

    /// A connection to the test database (for checks).
    func connection() throws -> PostgresConnection { try PostgresConnection.connect(databaseConfiguration) }

    /// Starts `component` on a free port with the schema migrated; returns its base URL.
    func start(_ component: ServiceComponent, env extra: [String: String] = [:], migrate: Bool = true) throws -> URL {
        var env = [
            "PLATFORM_API_TOKEN": Self.token, "PORT": "1", "LISTEN_ADDRESS": "127.0.0.1",
            "DATABASE_HOST": "127.0.0.1", "DATABASE_PORT": String(postgres.port), "DATABASE_NAME": database,
            "DATABASE_USER": postgres.superuser, "DATABASE_PASSWORD": postgres.password, "DATABASE_SSLMODE": "disable",
        ]
        env.merge(extra) { $1 }
        var configuration = try ServiceConfiguration.load(env, component: component)
        configuration.port = 0
        let pool = configuration.database.map { PostgresPool(configuration: $0, maxConnections: configuration.poolSize, acquireTimeoutSeconds: 2) }
        let service = PlatformService(configuration: configuration, pool: pool, logger: Logger(name: "test", sink: logs))
        if migrate, let pool {
            try pool.withConnection { try Migrator().migrate($0) }
            service.markMigrated()
        }
        let server = HTTPServer(options: service.serverOptions) { service.handle($0) }
        let port = try server.start()
        running.append((server, pool))
        return URL(string: "http://127.0.0.1:\(port)")!
    }

    func stopAll() {
        for (server, pool) in running {
            server.stop()
            pool?.close()
        }
        running.removeAll()
    }

    /// Counts rows of a table (for "the database is unchanged" checks).
    func count(_ table: String) throws -> Int {
        let db = try connection()
        defer { db.close() }
        return try db.query("SELECT count(*) AS n FROM \(table)").rows[0].decode("n", as: Int.self)
    }
}

/// A small HTTP client for the tests (URLSession, no caching, no cookies).
struct TestClient: Sendable {
    let base: URL
    var token: String? = ServiceHarness.token

    struct Response: Sendable {
        let status: Int
        let body: Data
        let headers: [String: String]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 30
        config.httpMaximumConnectionsPerHost = 16
        return URLSession(configuration: config)
    }()

    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Response {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
        return Response(status: http.statusCode, body: data, headers: headers)
    }

    func get(_ path: String) async throws -> Response { try await request("GET", path) }

    func post(_ path: String, json: Any) async throws -> Response {
        try await request("POST", path, body: try JSONSerialization.data(withJSONObject: json))
    }

    func post(_ path: String, raw: String) async throws -> Response {
        try await request("POST", path, body: Data(raw.utf8))
    }
}

/// Alertmanager webhook payloads (version 4) for the tests.
enum AlertmanagerPayload {
    static func alert(_ name: String, status: String = "firing", severity: String = "critical", fingerprint: String? = nil,
                      summary: String? = nil) -> [String: Any] {
        var alert: [String: Any] = [
            "status": status,
            "labels": ["alertname": name, "severity": severity, "service": "checkout"],
            "annotations": summary.map { ["summary": $0] } ?? [:],
            "startsAt": "2026-12-06T10:00:00Z",
            "endsAt": status == "resolved" ? "2026-12-06T10:05:00Z" : "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph",
        ]
        if let fingerprint { alert["fingerprint"] = fingerprint }
        return alert
    }

    static func webhook(_ alerts: [[String: Any]], status: String = "firing") -> [String: Any] {
        [
            "version": "4", "groupKey": "{}:{alertname=\"x\"}", "truncatedAlerts": 0, "status": status,
            "receiver": "incident-platform", "groupLabels": [:], "commonLabels": [:], "commonAnnotations": [:],
            "externalURL": "http://alertmanager:9093", "alerts": alerts,
        ]
    }
}
