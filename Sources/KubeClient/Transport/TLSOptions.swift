/// How the client verifies the server and proves its own identity over TLS.
public struct TLSOptions: Sendable, Equatable {
    /// PEM bundle of the certificate authorities to trust; `nil` uses the system store.
    public var caPEM: [UInt8]?
    /// PEM client certificate (with `clientKeyPEM`), for client-certificate authentication.
    public var clientCertificatePEM: [UInt8]?
    /// PEM private key for `clientCertificatePEM`.
    public var clientKeyPEM: [UInt8]?
    /// Skip verification of the server's certificate. Insecure: for local test clusters only.
    public var insecureSkipVerify: Bool
    /// The name to verify the server certificate against (and send as SNI) instead of the URL's host.
    public var serverName: String?

    public init(caPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil,
                insecureSkipVerify: Bool = false, serverName: String? = nil) {
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }
}
