/// Sends HTTP requests for ``KubeClient``. ``CurlTransport`` is the real one; tests may substitute their own.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response; throws ``KubeClientError`` `.transport` or `.tls`
    /// when no response arrived. Task cancellation aborts the transfer.
    func send(_ request: TransportRequest) async throws -> TransportResponse

    /// Sends `request` and delivers the response to `sink` as it arrives; returns when the transfer ends
    /// (the server closed the stream, the sink returned `false`, or the sink was cancelled).
    /// Returns the HTTP status; throws only when the transfer failed for a reason other than the sink's.
    func stream(_ request: TransportRequest, into sink: any TransportStreamSink) async throws -> Int
}
