import Foundation

/// Supplies the `Authorization` header for each request and refreshes rotating credentials: a token file is
/// re-read at least every `tokenFileMaxAge` seconds and after a 401; an exec plugin's token is cached until its
/// expiration and the plugin re-run after a 401. Concurrent callers share one refresh.
actor CredentialProvider {
    private let authentication: Authentication
    private let runner: ExecPluginRunner
    private let now: @Sendable () -> Date
    private let tokenFileMaxAge: Double
    private var cached: (token: String, validUntil: Date?)?
    private var refreshing: Task<(token: String, validUntil: Date?), Error>?
    /// How many times the exec plugin ran or the token file was read (for tests).
    private(set) var refreshCount = 0

    init(authentication: Authentication, environment: [String: String] = ProcessInfo.processInfo.environment,
         tokenFileMaxAge: Double = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.authentication = authentication
        self.runner = ExecPluginRunner(environment: environment)
        self.now = now
        self.tokenFileMaxAge = tokenFileMaxAge
    }

    /// Whether a 401 may be cured by fetching the credentials again.
    nonisolated var canRefresh: Bool {
        switch authentication {
        case .tokenFile, .exec: return true
        default: return false
        }
    }

    /// The header value, e.g. `Bearer abc`, or `nil` without credentials.
    func authorization() async throws -> String? {
        switch authentication {
        case .none:
            return nil
        case .bearerToken(let token):
            return "Bearer \(token)"
        case .basic(let user, let password):
            return "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"
        case .tokenFile, .exec:
            if let cached, cached.validUntil.map({ $0 > now() }) ?? true {
                return "Bearer \(cached.token)"
            }
            let fresh = try await refresh()
            return "Bearer \(fresh.token)"
        }
    }

    /// Forgets the cached token (after a 401) so the next request fetches a new one.
    func invalidate() { cached = nil }

    private func refresh() async throws -> (token: String, validUntil: Date?) {
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.fetch() }
        refreshing = task
        defer { refreshing = nil }
        let value = try await task.value
        cached = value
        return value
    }

    private func fetch() async throws -> (token: String, validUntil: Date?) {
        refreshCount += 1
        switch authentication {
        case .tokenFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeClientError.authentication("cannot read the token file \(path); check that it exists and is readable")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw KubeClientError.authentication("the token file \(path) is empty") }
            return (token, now().addingTimeInterval(tokenFileMaxAge))
        case .exec(let config):
            let credential = try await runner.run(config)
            return (credential.token, credential.expiration)
        default:
            throw KubeClientError.authentication("nothing to refresh")
        }
    }
}
