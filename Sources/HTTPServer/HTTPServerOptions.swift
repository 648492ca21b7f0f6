/// Where an ``HTTPServer`` listens and the limits it enforces.
public struct HTTPServerOptions: Sendable {
    /// The IPv4 address to bind (IPv4 only; `0.0.0.0` for every interface); loopback by default.
    public var host: String
    /// The port; 0 picks a free one (``HTTPServer/start()`` returns it).
    public var port: Int
    /// At most this many open connections; more are answered 503 and closed.
    public var maxConnections: Int
    /// The largest request head (request line and headers) in bytes; larger gets 431.
    public var maxHeaderBytes: Int
    /// The largest request body in bytes; larger gets 413.
    public var maxBodyBytes: Int
    /// Seconds an idle keep-alive connection waits for its next request before it is closed.
    public var idleTimeoutSeconds: Int

    /// Seconds ``HTTPServer/stop()`` waits for requests in progress before closing their connections.
    public var shutdownGraceSeconds: Double

    /// The answer to a request the server rejects before any handler sees it (413 body too large, 431, 400
    /// malformed), given the status and the reason; plain text by default. The connection is closed after it.
    public var errorResponse: @Sendable (_ status: Int, _ message: String) -> HTTPResponse = { status, message in
        .text(status, message + "\n")
    }

    /// Creates options; the defaults suit a local API server.
    public init(host: String = "127.0.0.1", port: Int = 0, maxConnections: Int = 256, maxHeaderBytes: Int = 64 * 1024,
                maxBodyBytes: Int = 8 * 1024 * 1024, idleTimeoutSeconds: Int = 120, shutdownGraceSeconds: Double = 5) {
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.host = host
        self.port = port
        self.maxConnections = maxConnections
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}
