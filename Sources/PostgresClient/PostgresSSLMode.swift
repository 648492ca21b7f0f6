/// When and how a connection uses TLS, with libpq's `sslmode` names and meanings.
///
/// | mode | TLS | certificate checked |
/// |---|---|---|
/// | `disable` | never | – |
/// | `allow` | never (libpq would try plain first and TLS only when the server refuses plain; this client treats it as `disable`) | – |
/// | `prefer` (default) | when the server offers it, else plain | only when `sslRootCertFile` is set (then as `verify-ca`) |
/// | `require` | always | only when `sslRootCertFile` is set (then as `verify-ca`), like libpq |
/// | `verify-ca` | always | chain against `sslRootCertFile`, or the system store when `nil` |
/// | `verify-full` | always | chain, and the host name or IP address against the certificate |
public enum PostgresSSLMode: String, Sendable, CaseIterable {
    /// Plain TCP only.
    case disable
    /// Treated like ``disable``: plain TCP (libpq's fallback to TLS when the server refuses plain is not implemented).
    case allow
    /// TLS when the server supports it, plain otherwise.
    case prefer
    /// TLS or fail; the certificate is checked only when a root certificate file is given.
    case require
    /// TLS, and the server certificate must chain to a trusted CA.
    case verifyCA = "verify-ca"
    /// TLS, a trusted chain, and the certificate must name the host connected to.
    case verifyFull = "verify-full"

    /// Whether this mode fails when the server does not offer TLS.
    var requiresTLS: Bool {
        switch self {
        case .disable, .allow, .prefer: false
        case .require, .verifyCA, .verifyFull: true
        }
    }

    /// Whether this mode sends an SSLRequest at all.
    var attemptsTLS: Bool {
        switch self {
        case .disable, .allow: false
        case .prefer, .require, .verifyCA, .verifyFull: true
        }
    }
}
