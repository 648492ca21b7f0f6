#if canImport(Glibc)
import Glibc
#endif

/// Writes the chunks of a streamed (chunked) response. Used only from the thread that runs the stream closure.
public final class HTTPStreamWriter: @unchecked Sendable {
    private let socket: SocketConnection
    private let server: HTTPServerState
    private var failed = false

    init(socket: SocketConnection, server: HTTPServerState) {
        self.socket = socket
        self.server = server
    }

    /// Sends one chunk; returns false once the client has gone away or the server is stopping (then stop writing).
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard !failed, server.isRunning else { return false }
        if bytes.isEmpty { return true }
        var frame = Array(String(bytes.count, radix: 16).utf8) + [13, 10]
        frame += bytes
        frame += [13, 10]
        if !socket.send(frame) { failed = true }
        return !failed
    }

    /// Sends a UTF-8 string as one chunk.
    @discardableResult
    public func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    /// Whether writing still makes sense: the server runs and the client has not closed its side.
    public var isOpen: Bool {
        guard !failed, server.isRunning else { return false }
        if socket.peerClosed() { failed = true }
        return !failed
    }
}
