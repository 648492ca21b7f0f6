import Foundation
import HTTPServer
import KubeCore

/// The Kubernetes API: routes each HTTP request to discovery, OpenAPI, a resource verb, or the sandbox's own
/// endpoints (`/metrics`, `/healthz`, `/sandbox/faults`), and counts it.
final class SandboxAPI: Sendable {
    let store: ObjectStore
    let registry: ResourceRegistry
    let metrics = RequestMetrics()
    let faults: FaultState
    let options: SandboxOptions
    let audit: AuditLog?
    /// Called after every committed write of the API (not for the simulator's own writes).
    let onWrite: @Sendable (ResourceType, JSONValue) -> Void

    init(store: ObjectStore, registry: ResourceRegistry, faults: FaultState, options: SandboxOptions, audit: AuditLog?,
         onWrite: @escaping @Sendable (ResourceType, JSONValue) -> Void) {
        self.audit = audit
        self.store = store
        self.registry = registry
        self.faults = faults
        self.options = options
        self.onWrite = onWrite
    }

    /// Answers one request.
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        if !options.tokens.isEmpty, let auth = request.header("Authorization") {
            let token = auth.hasPrefix("Bearer ") ? String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
            if options.tokens[token] == nil {
                metrics.record(verb: request.method, group: "", resource: "", subresource: "", code: 401)
                return Self.status(APIStatus(code: 401, reason: .unauthorized, message: "Unauthorized"))
            }
        }
        switch request.path {
        case "/healthz", "/readyz", "/livez": return .text(200, "ok")
        case "/metrics":
            let counts = Dictionary(grouping: store.everything(), by: { $0.storeKey }).mapValues(\.count)
            return .text(200, metrics.render(objectCounts: counts), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case "/sandbox/faults": return handleFaults(request)
        default: break
        }
        if let discovery = discovery(request) { return discovery }
        if request.path == "/openapi/v3" || request.path.hasPrefix("/openapi/v3/") { return openAPI(request) }
        let info: APIRequestInfo
        do {
            guard let parsed = try APIRequestInfo.parse(request, registry: registry) else {
                return Self.status(APIStatus(code: 404, reason: .notFound, message: "the server could not find the requested resource"))
            }
            info = parsed
        } catch {
            return Self.status(Self.apiStatus(error))
        }
        let verb = info.metricsVerb(contentType: request.header("Content-Type"))
        let d = info.type.descriptor
        if options.enforceRBAC {
            do { try RBACAuthorizer(store: store).authorize(user: user(request), info) } catch {
                let denied = Self.status(Self.apiStatus(error))
                metrics.record(verb: verb, group: d.group, resource: d.plural, subresource: info.subresource ?? "", code: denied.status)
                return denied
            }
        }
        if let injected = faults.inject(write: info.isWrite) {
            metrics.record(verb: verb, group: d.group, resource: d.plural, subresource: info.subresource ?? "", code: injected.status)
            return injected
        }
        let response: HTTPResponse
        do {
            response = try serve(info, request)
        } catch {
            response = Self.status(Self.apiStatus(error))
        }
        metrics.record(verb: verb, group: d.group, resource: d.plural, subresource: info.subresource ?? "", code: response.status)
        if info.isWrite, let audit {
            var entry: JSONValue = [
                "time": .string(Age.nowTimestamp()), "verb": .string(verb), "user": .string(user(request)),
                "userAgent": .string(request.header("User-Agent") ?? ""), "group": .string(d.group), "resource": .string(d.plural),
                "code": .int(response.status),
            ]
            entry["fieldManager"] = info.query["fieldManager"].map(JSONValue.string)
            entry["namespace"] = info.namespace.map(JSONValue.string)
            entry["name"] = info.name.map(JSONValue.string)
            entry["subresource"] = info.subresource.map(JSONValue.string)
            audit.record(entry)
        }
        return response
    }

    /// The user a request acts as: the bearer token's user, else the `Impersonate-User` header, else
    /// `system:admin` (the kubeconfig's user with no token).
    func user(_ request: HTTPRequest) -> String {
        if let auth = request.header("Authorization"), auth.hasPrefix("Bearer "),
           let name = options.tokens[String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)] {
            return request.header("Impersonate-User") ?? name
        }
        return request.header("Impersonate-User") ?? "system:admin"
    }

    private func serve(_ info: APIRequestInfo, _ request: HTTPRequest) throws -> HTTPResponse {
        if info.subresource == "scale" { return try scale(info, request) }
        guard info.type.verbs.contains(info.verb) else {
            throw APIStatus(code: 405, reason: .methodNotAllowed, message: "the server does not allow this method on the requested resource")
        }
        if info.type.descriptor.group == "authorization.k8s.io" { return try accessReview(info, request) }
        switch info.verb {
        case "get": return try get(info, request)
        case "list": return try list(info, request)
        case "watch": return try watch(info, request)
        case "create": return try create(info, request)
        case "update": return try update(info, request)
        case "patch": return try patch(info, request)
        case "delete": return try delete(info, request)
        case "deletecollection": return try deleteCollection(info, request)
        default: throw APIStatus(code: 405, reason: .methodNotAllowed, message: "the server does not allow this method on the requested resource")
        }
    }

    private func handleFaults(_ request: HTTPRequest) -> HTTPResponse {
        switch request.method {
        case "GET": return .text(200, faults.current.description + "\n")
        case "POST", "PUT":
            do {
                let parsed = try SandboxFaults(spec: String(decoding: request.body, as: UTF8.self))
                faults.set(parsed)
                return .text(200, parsed.description + "\n")
            } catch {
                return .text(400, "\(error)\n")
            }
        case "DELETE":
            faults.set(SandboxFaults())
            return .text(200, "\n")
        default: return .text(405, "use GET, POST (body: a fault spec such as write-error-rate=0.1) or DELETE\n")
        }
    }

    // MARK: Helpers

    /// A JSON answer.
    static func json(_ status: Int, _ value: JSONValue, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: .bytes(value.jsonBytes()))
    }

    /// A `Status` answer with the status's code.
    static func status(_ s: APIStatus) -> HTTPResponse {
        var headers: [(name: String, value: String)] = []
        if let retry = s.retryAfterSeconds { headers.append(("Retry-After", String(retry))) }
        return json(s.code, s.json, headers: headers)
    }

    /// Any error as a Status: API errors as they are, others as 500 InternalError naming the cause.
    static func apiStatus(_ error: any Error) -> APIStatus {
        if let s = error as? APIStatus { return s }
        if let p = error as? JSONParseError {
            return APIStatus(code: 400, reason: .badRequest, message: "the request body is not valid JSON: \(p)")
        }
        return APIStatus(code: 500, reason: .internalError, message: "Internal error occurred: \(error)")
    }

    /// Decodes a request body that must be an object.
    static func decodeObject(_ request: HTTPRequest) throws -> JSONValue {
        let value = try decodeBody(request)
        guard value.objectValue != nil else {
            throw APIStatus(code: 400, reason: .badRequest, message: "the request body must be a JSON object, not \(value.typeName)")
        }
        return value
    }

    /// Decodes a JSON (or Kubernetes protobuf) request body.
    static func decodeBody(_ request: HTTPRequest) throws -> JSONValue {
        if let type = request.header("Content-Type"), type.contains("protobuf") {
            return try ProtobufDecoder.decode(request.body)
        }
        if let type = request.header("Content-Type"), type.contains("cbor") {
            throw APIStatus(code: 415, reason: .unsupportedMediaType,
                            message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
        }
        guard !request.body.isEmpty else {
            throw APIStatus(code: 400, reason: .badRequest, message: "the request body is empty; send a JSON object")
        }
        let value = try JSONValue(jsonBytes: request.body)
        return value
    }
}

/// The faults in force, changeable at runtime.
final class FaultState: @unchecked Sendable {
    private let lock = NSLock()
    private var faults: SandboxFaults

    init(_ faults: SandboxFaults) { self.faults = faults }

    var current: SandboxFaults { lock.withLock { faults } }
    func set(_ f: SandboxFaults) { lock.withLock { faults = f } }

    /// Sleeps for the configured latency, then maybe returns an injected failure.
    func inject(write: Bool) -> HTTPResponse? {
        let f = current
        if f.latency > 0 { usleep(UInt32(min(f.latency, 60) * 1_000_000)) }
        if f.resetRate > 0, Double.random(in: 0..<1) < f.resetRate { return HTTPResponse(status: 0, body: .resetConnection) }
        let errorRate = write ? f.writeErrorRate : f.readErrorRate
        if errorRate > 0, Double.random(in: 0..<1) < errorRate {
            return SandboxAPI.status(APIStatus(code: 500, reason: .internalError, message: "Internal error occurred: injected fault (sandbox --faults)"))
        }
        let throttleRate = write ? f.writeThrottleRate : f.readThrottleRate
        if throttleRate > 0, Double.random(in: 0..<1) < throttleRate {
            return SandboxAPI.status(APIStatus(code: 429, reason: .tooManyRequests, message: "Too many requests, please try again later. (injected fault)",
                                                details: ["retryAfterSeconds": .int(f.retryAfterSeconds)]))
        }
        return nil
    }
}
