/// Everything needed to talk to one API server: where, how to trust it, who we are, the default namespace.
///
/// Build one with ``load(kubeconfig:context:environment:serviceAccountDirectory:homeDirectory:)`` (kubectl's
/// precedence), ``inCluster(environment:directory:)`` or ``KubeConfig/configuration(context:)``.
public struct ClientConfiguration: Sendable, Equatable {
    /// The server URL, e.g. `https://10.0.0.1:443`, without a trailing slash.
    public var server: String
    /// The namespace used when a call names none (the context's namespace, the service account's, or `default`).
    public var namespace: String
    /// TLS trust and client certificate.
    public var tls: TLSOptions
    /// Bearer token, token file, basic auth or exec plugin.
    public var authentication: Authentication
    /// Where this configuration came from, for messages: `kubeconfig /home/me/.kube/config, context kind-dev`.
    public var source: String

    public init(server: String, namespace: String = "default", tls: TLSOptions = TLSOptions(),
                authentication: Authentication = .none, source: String = "explicit configuration") {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.namespace = namespace
        self.tls = tls
        self.authentication = authentication
        self.source = source
    }

    /// `host:port` of the server, as used in the request counters.
    public var host: String {
        CurlTransport.authority(of: server).map { a in
            let host = a.host.contains(":") ? "[\(a.host)]" : a.host
            return a.port.map { "\(host):\($0)" } ?? host
        } ?? server
    }
}
