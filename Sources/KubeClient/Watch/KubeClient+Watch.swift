import KubeCore

extension KubeClient {
    /// Watches a collection (`namespace: nil` watches all namespaces).
    ///
    /// Events arrive as the server sends them, decoded line by line. BOOKMARK events carry the newest
    /// resourceVersion (resume from ``WatchEvent/resourceVersion`` of the last event). An expired
    /// resourceVersion ends the stream with ``KubeClientError/expired(_:)``: list again and watch from the list's
    /// version. The stream ends normally when the server closes the watch (after `timeoutSeconds`).
    /// Leaving the loop or cancelling the consuming task aborts the transfer and closes the connection.
    /// At most 64 unread events are buffered; beyond that the connection is not read until the consumer catches up.
    public func watch(_ resource: ResourceDescriptor, namespace: String? = nil,
                      options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<WatchEvent, any Error> {
        let channel = WatchChannel()
        let request = APIRequest(method: "GET", path: resource.path(namespace: namespace), query: options.queryItems)
        Task.detached { [self] in await self.runWatch(request, channel: channel) }
        let consumer = WatchConsumer(channel: channel)
        return AsyncThrowingStream(unfolding: { try await consumer.next() })
    }

    private func runWatch(_ request: APIRequest, channel: WatchChannel) async {
        var retried = false
        while true {
            let start = ContinuousClock.now
            do {
                let http = request.http(server: configuration.server, authorization: try await credentials.authorization(), userAgent: Self.userAgent)
                let sink = WatchSink(channel: channel)
                let status = try await transport.stream(http, into: sink)
                record(request, code: String(status), since: start)
                if status == 401 && credentials.canRefresh && !retried {
                    retried = true
                    await credentials.invalidate()
                    continue
                }
                if (200..<300).contains(status) {
                    channel.finish(throwing: sink.failure)
                } else {
                    let error = Self.error(from: TransportResponse(status: status, headers: sink.headers, body: sink.errorBody))
                    if status == 410, let s = error.status {
                        channel.finish(throwing: KubeClientError.expired(s))
                    } else {
                        channel.finish(throwing: error)
                    }
                }
            } catch {
                record(request, code: "<error>", since: start, note: "\(error)")
                channel.finish(throwing: error)
            }
            return
        }
    }
}

/// The consumer's end of a watch: when the stream (and so this object) goes away, the transfer is cancelled.
private final class WatchConsumer: Sendable {
    let channel: WatchChannel
    init(channel: WatchChannel) { self.channel = channel }
    func next() async throws -> WatchEvent? { try await channel.next() }
    deinit { channel.cancel() }
}
