/// Settings of a ``CurlTransport``.
public struct TransportOptions: Sendable, Equatable {
    /// TLS verification and client identity.
    public var tls: TLSOptions
    /// Limit for establishing a connection (TCP and TLS), in seconds.
    public var connectTimeout: Double
    /// Limit for a whole non-streaming request, in seconds.
    public var requestTimeout: Double
    /// How many requests may be in flight at once (and how many connections are kept alive for reuse).
    /// Watches do not count: each one holds its own connection for as long as it runs.
    public var maxConcurrentRequests: Int

    public init(tls: TLSOptions = TLSOptions(), connectTimeout: Double = 10, requestTimeout: Double = 60,
                maxConcurrentRequests: Int = 8) {
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
    }
}
