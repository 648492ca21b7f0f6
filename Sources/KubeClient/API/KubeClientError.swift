import KubeCore

/// Everything a ``KubeClient`` call can fail with.
///
/// API failures carry the server's `Status`; use the `is…` properties to tell them apart:
/// ```swift
/// do { try await client.create(.configMaps, cm) }
/// catch let e as KubeClientError where e.isAlreadyExists { … }
/// ```
public enum KubeClientError: Error, Sendable, CustomStringConvertible {
    /// The server answered with a failure `Status` (or a non-2xx answer without one, described as one).
    /// `retryAfterSeconds` comes from the `Retry-After` header, else from `details.retryAfterSeconds`.
    case api(APIStatus, retryAfterSeconds: Int?)
    /// A watch's resourceVersion is too old (ERROR event or answer with code 410): list again, then watch.
    case expired(APIStatus)
    /// No HTTP answer: connection refused, DNS failure, timeout, reset. `message` is libcurl's.
    case transport(message: String, url: String)
    /// The TLS handshake failed; `hint` says what to check.
    case tls(message: String, hint: String, url: String)
    /// The call was refused before sending: the object or arguments cannot make a valid request.
    case invalidArgument(String)
    /// Getting credentials failed (exec plugin, token file).
    case authentication(String)
    /// The server's answer could not be decoded.
    case invalidResponse(String)

    /// The server's `Status`, for `.api` and `.expired`.
    public var status: APIStatus? {
        switch self {
        case .api(let s, _), .expired(let s): return s
        default: return nil
        }
    }

    /// HTTP status code of an API failure.
    public var code: Int? { status?.code }
    /// 404.
    public var isNotFound: Bool { code == 404 }
    /// 409 with reason AlreadyExists (a create of an existing name).
    public var isAlreadyExists: Bool { code == 409 && status?.reason == .alreadyExists }
    /// 409 that is not AlreadyExists: a stale resourceVersion or a server-side apply field conflict.
    public var isConflict: Bool { code == 409 && status?.reason != .alreadyExists }
    /// 410 (expired resourceVersion or continue token).
    public var isGone: Bool { code == 410 }
    /// 422.
    public var isInvalid: Bool { code == 422 }
    /// 429.
    public var isTooManyRequests: Bool { code == 429 }
    /// 401.
    public var isUnauthorized: Bool { code == 401 }
    /// 403.
    public var isForbidden: Bool { code == 403 }
    /// 5xx.
    public var isServerError: Bool { (code ?? 0) >= 500 }
    /// How long the server asked the client to wait before retrying (429, some 5xx).
    public var retryAfterSeconds: Int? {
        if case .api(let s, let after) = self { return after ?? s.retryAfterSeconds }
        return nil
    }

    public var description: String {
        switch self {
        case .api(let s, let after):
            return "API error: \(s)" + (after.map { "; retry after \($0)s" } ?? "")
        case .expired(let s):
            return "resourceVersion expired: \(s); list again and watch from the new resourceVersion"
        case .transport(let message, let url):
            return "cannot reach \(url): \(message)"
        case .tls(let message, let hint, let url):
            return "TLS error talking to \(url): \(message). \(hint)"
        case .invalidArgument(let m):
            return "invalid call: \(m)"
        case .authentication(let m):
            return "authentication failed: \(m)"
        case .invalidResponse(let m):
            return "invalid response from the API server: \(m)"
        }
    }
}
