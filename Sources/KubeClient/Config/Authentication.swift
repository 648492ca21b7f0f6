/// How the client proves who it is (besides a client certificate, which lives in ``TLSOptions``).
public enum Authentication: Sendable, Equatable {
    /// No credentials beyond a client certificate, if any.
    case none
    /// A fixed bearer token.
    case bearerToken(String)
    /// A bearer token read from a file, re-read at least every minute and after a 401 (rotating
    /// service-account tokens).
    case tokenFile(path: String)
    /// HTTP basic authentication.
    case basic(username: String, password: String)
    /// A `client.authentication.k8s.io` exec credential plugin (EKS, GKE, AKS).
    case exec(ExecPluginConfig)
}
