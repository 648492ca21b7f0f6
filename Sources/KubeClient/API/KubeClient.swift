import Foundation
import KubeCore

/// A Kubernetes API client: every verb on any resource (as unstructured `JSONValue` objects), server-side apply,
/// and watch streams, over a pluggable ``HTTPTransport`` (libcurl by default).
///
/// ```swift
/// let client = try KubeClient(configuration: .load(context: "kind-dev"))
/// let cm = try await client.get(.configMaps, name: "settings", namespace: "ops")
/// for try await event in client.watch(.configMaps, namespace: "ops") { … }
/// ```
///
/// Namespaces: for single-object calls on namespaced resources, `namespace: nil` means the object's
/// `metadata.namespace`, else the configuration's default namespace; for `list` and `watch`, `nil` means all
/// namespaces. Cluster-scoped resources ignore it.
public final class KubeClient: Sendable {
    /// Where and how this client connects.
    public let configuration: ClientConfiguration
    /// Request counters by code, method and host.
    public let metrics: RequestMetrics
    let transport: any HTTPTransport
    let credentials: CredentialProvider
    let logger: ClientLogger
    static let userAgent = "incident-operator"

    /// A client for `configuration`. Without `transport`, a ``CurlTransport`` with the configuration's TLS
    /// settings and default timeouts is used. `environment` is what exec credential plugins inherit.
    public init(configuration: ClientConfiguration, transport: (any HTTPTransport)? = nil,
                logger: ClientLogger = .standardError(), metrics: RequestMetrics = RequestMetrics(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.configuration = configuration
        self.transport = transport ?? CurlTransport(options: TransportOptions(tls: configuration.tls))
        self.logger = logger
        self.metrics = metrics
        self.credentials = CredentialProvider(authentication: configuration.authentication, environment: environment)
        if configuration.tls.insecureSkipVerify {
            logger.log(.warning, "insecure-skip-tls-verify is set (\(configuration.source)): the API server's certificate is not verified, so anyone on the network path can impersonate it. Use certificate-authority instead.")
        }
    }

    /// Sends `request`, retrying once with fresh credentials after a 401 when they can be refreshed.
    func send(_ request: APIRequest) async throws -> TransportResponse {
        var retried = false
        while true {
            let http = request.http(server: configuration.server, authorization: try await credentials.authorization(), userAgent: Self.userAgent)
            let start = ContinuousClock.now
            let response: TransportResponse
            do {
                response = try await transport.send(http)
            } catch {
                record(request, code: "<error>", since: start, note: "\(error)")
                throw error
            }
            record(request, code: String(response.status), since: start)
            if response.status == 401 && credentials.canRefresh && !retried {
                retried = true
                await credentials.invalidate()
                continue
            }
            return response
        }
    }

    /// Sends `request` and decodes the JSON answer; non-2xx answers throw ``KubeClientError``.
    func perform(_ request: APIRequest) async throws -> JSONValue {
        let response = try await send(request)
        guard (200..<300).contains(response.status) else { throw Self.error(from: response) }
        if response.body.isEmpty { return [:] }
        do {
            return try JSONValue(jsonBytes: response.body)
        } catch {
            throw KubeClientError.invalidResponse("\(request.method) \(request.path): the answer is not JSON (\(error))")
        }
    }

    func record(_ request: APIRequest, code: String, since start: ContinuousClock.Instant, note: String? = nil) {
        metrics.record(code: code, method: request.method, host: configuration.host)
        let elapsed = ContinuousClock.now - start
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        logger.log(.debug, "\(request.method) \(request.pathWithQuery) \(code) \(ms)ms" + (note.map { " (\($0))" } ?? ""))
    }

    /// The typed error for a non-2xx answer: the server's `Status` if it sent one, else one made from the code.
    static func error(from response: TransportResponse) -> KubeClientError {
        let retryAfter = response.headers["retry-after"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if let json = try? JSONValue(jsonBytes: response.body), let status = APIStatus(json: json) {
            return .api(status, retryAfterSeconds: retryAfter)
        }
        let text = String(decoding: response.body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let status = APIStatus(code: response.status, reason: reason(for: response.status),
                               message: text.isEmpty ? "HTTP \(response.status) without a body" : text)
        return .api(status, retryAfterSeconds: retryAfter)
    }

    private static func reason(for code: Int) -> StatusReason {
        switch code {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 406: return .notAcceptable
        case 409: return .conflict
        case 410: return .gone
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 503: return .serviceUnavailable
        case 504: return .timeout
        case 500...: return .internalError
        default: return .unknown
        }
    }

    /// The namespace a single-object call uses.
    func namespace(for resource: ResourceDescriptor, explicit: String?, object: JSONValue? = nil) -> String? {
        guard resource.namespaced else { return nil }
        if let explicit, !explicit.isEmpty { return explicit }
        if let ns = object?.namespace, !ns.isEmpty { return ns }
        return configuration.namespace
    }
}
