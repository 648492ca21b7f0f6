import Dispatch
import Hashing
import HTTPServer
import IncidentStore
import Locking
import Logging
import Metrics
import PostgresClient

/// One service of the platform: its routes, the checks every request passes (token, request id), its metrics
/// and request log. ``handle(_:)`` is what the HTTP server calls; ``ServiceRunner`` starts and stops it.
public final class PlatformService: Sendable {
    /// The configuration it runs with.
    public let configuration: ServiceConfiguration
    /// Its database pool (nil for web-ui).
    public let pool: PostgresPool?
    let metrics: ServiceMetrics
    private let logger: Logger
    private let routes: [Route]
    private let expectedAuthorization: [UInt8]
    /// Whether the schema is migrated: until then the API answers 503.
    private let migrated = Locked(false)

    /// A service for `configuration`; `pool` is used when the component needs the database.
    public init(configuration: ServiceConfiguration, pool: PostgresPool?, logger: Logger) {
        self.configuration = configuration
        self.pool = pool
        self.logger = logger
        self.metrics = ServiceMetrics(service: configuration.component.rawValue)
        self.expectedAuthorization = Array("Bearer \(configuration.apiToken)".utf8)
        var routes: [Route] = []
        if let pool {
            let repository = IncidentRepository(pool: pool)
            switch configuration.component {
            case .incidentManagement:
                routes = IncidentsAPI(repository: repository).routes
                IncidentMetricsCollector(pool: pool).register(in: metrics.registry)
            case .alertIngestion:
                let limiter = RateLimiter(rate: configuration.ingestRateLimit, burst: configuration.ingestBurst)
                routes = AlertIngestionAPI(repository: repository, limiter: limiter, metrics: metrics).routes
            case .oncallService, .webUI:
                break
            }
        }
        self.routes = routes
        if pool == nil { migrated.withLock { $0 = true } }
    }

    /// The HTTP server options it needs: bodies up to 1 MiB, errors as JSON.
    public var serverOptions: HTTPServerOptions {
        var options = HTTPServerOptions(host: configuration.listenAddress, port: configuration.port, maxConnections: 512,
                                        maxBodyBytes: 1 << 20, idleTimeoutSeconds: 60, shutdownGraceSeconds: 8)
        options.errorResponse = APIError.serverRejection
        return options
    }

    /// Marks the schema as migrated (the API starts answering); tests that migrate themselves call it too.
    package func markMigrated() { migrated.withLock { $0 = true } }

    /// Whether the schema is migrated.
    public var isMigrated: Bool { migrated.withLock { $0 } }

    /// Answers one request: routing, the token check on writes, the request id, metrics and the log line.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let start = DispatchTime.now().uptimeNanoseconds
        let requestID = Self.requestID(request.header("X-Request-Id"))
        var response: HTTPResponse
        do {
            response = try route(request)
        } catch {
            response = error.response
        }
        response.headers.append(("X-Request-Id", requestID))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        metrics.observe(method: request.method, status: response.status, seconds: seconds)
        logger.info("request", [
            "method": .string(request.method), "path": .string(request.path), "status": .int(response.status),
            "duration_ms": .double((seconds * 1e5).rounded() / 100), "request_id": .string(requestID),
        ])
        return response
    }

    private func route(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/health"), ("HEAD", "/health"):
            return JSONBody.response(200, ["status": "ok"] as [String: String])
        case ("GET", "/ready"), ("HEAD", "/ready"):
            return readiness()
        case ("GET", "/metrics"):
            return .text(200, metrics.registry.exposition(), contentType: MetricsRegistry.contentType)
        case ("GET", "/") where configuration.component == .webUI || configuration.component == .oncallService:
            return PlaceholderPage.response(configuration.component)
        default:
            break
        }
        var allowed: [String] = []
        for route in routes {
            guard let params = route.match(request.path) else { continue }
            guard route.method == request.method else { allowed.append(route.method); continue }
            if route.isWrite { try authorize(request) }
            guard isMigrated else {
                throw APIError(503, "starting", "the service is waiting for the database schema; retry shortly", headers: [("Retry-After", "2")])
            }
            return try route.handler(request, params)
        }
        if !allowed.isEmpty {
            throw APIError(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path); use \(allowed.joined(separator: ", "))",
                           headers: [("Allow", allowed.joined(separator: ", "))])
        }
        throw APIError(404, "not_found", "no route for \(request.method) \(request.path) on \(configuration.component.rawValue)")
    }

    /// Writes need `Authorization: Bearer <PLATFORM_API_TOKEN>`, compared in constant time.
    private func authorize(_ request: HTTPRequest) throws(APIError) {
        let given = Array((request.header("Authorization") ?? "").utf8)
        guard ConstantTime.equals(given, expectedAuthorization) else {
            throw APIError(401, "unauthorized", "this request needs the header Authorization: Bearer <token>, with the token of the Secret <platform>-api-token",
                           headers: [("WWW-Authenticate", "Bearer realm=\"incident-platform\"")])
        }
    }

    /// Ready when the schema is migrated and the database answers (`SELECT 1`); web-ui is ready when it serves.
    private func readiness() -> HTTPResponse {
        guard let pool else { return JSONBody.response(200, ["status": "ready"] as [String: String]) }
        guard isMigrated else { return JSONBody.response(503, ["status": "starting", "reason": "database schema not migrated yet"] as [String: String]) }
        do {
            _ = try pool.withConnection { try $0.query("SELECT 1") }
            return JSONBody.response(200, ["status": "ready"] as [String: String])
        } catch {
            return JSONBody.response(503, ["status": "unavailable", "reason": "database unreachable"] as [String: String])
        }
    }

    /// The caller's request id when it is a sane token, else a new random one.
    static func requestID(_ given: String?) -> String {
        if let given, (1...128).contains(given.utf8.count),
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return Hex.encode(SecureRandom.bytes(8))
    }
}
