import Foundation

/// Receives a watch response on the transport's thread: splits lines, decodes events, hands them to the channel.
final class WatchSink: TransportStreamSink, @unchecked Sendable {
    // @unchecked: everything but `channel` is touched only by the transport's thread, then read after
    // `stream` returns.
    let channel: WatchChannel
    private(set) var status = 0
    private(set) var headers: [String: String] = [:]
    private(set) var errorBody: [UInt8] = []
    /// Why the sink stopped the stream (an ERROR event, undecodable data).
    private(set) var failure: (any Error)?
    private var splitter = WatchLineSplitter()
    private static let maxErrorBody = 1 << 20

    init(channel: WatchChannel) { self.channel = channel }

    var isCancelled: Bool { channel.isCancelled }

    func receiveHead(status: Int, headers: [String: String]) {
        self.status = status
        self.headers = headers
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard (200..<300).contains(status) else {
            if errorBody.count < Self.maxErrorBody { errorBody.append(contentsOf: bytes.prefix(Self.maxErrorBody - errorBody.count)) }
            return true
        }
        do {
            for line in try splitter.feed(bytes) {
                if !channel.send(try WatchEvent(line: line)) { return false }
            }
            return true
        } catch {
            failure = error
            return false
        }
    }
}
