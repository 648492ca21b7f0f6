import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Locking

/// A connected TCP socket with a read buffer. Owned by one connection thread; ``shutdown()`` may come from any thread.
final class SocketConnection: @unchecked Sendable {
    // @unchecked: `buffer` and `start` belong to the connection's thread; `closed` is a `Locked` flag, so a
    // shutdown from another thread never reaches a descriptor that was closed (and maybe reused) meanwhile.
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private let closed = Locked(false)

    init(fd: Int32) { self.fd = fd }

    /// Bytes received but not yet consumed.
    var buffered: ArraySlice<UInt8> { buffer[start...] }

    /// Drops `count` consumed bytes from the front of the buffer.
    func consume(_ count: Int) {
        start += count
        if start > 64 * 1024 || start == buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    /// Reads more bytes into the buffer; false on end of stream, error or timeout.
    func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Sends all bytes; false if the peer is gone.
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// True when the peer has closed its side (checked without blocking and without consuming data).
    func peerClosed() -> Bool {
        let rdhup: Int16 = 0x2000  // POLLRDHUP (not exported to Swift)
        let hangup: Int16 = Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL) | rdhup
        var p = pollfd(fd: fd, events: Int16(POLLIN) | rdhup, revents: 0)
        let r = poll(&p, 1, 0)
        if r <= 0 { return false }
        if p.revents & hangup != 0 { return true }
        var one: UInt8 = 0
        let n = recv(fd, &one, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n == 0
    }

    /// Sets the receive timeout (idle keep-alive limit).
    func setReceiveTimeout(seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Makes the next close send RST instead of FIN.
    func setResetOnClose() {
        var l = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }

    /// Ends the reading side: a blocked read returns, answers can still be sent.
    func shutdownRead() { unlessClosed { _ = Glibc.shutdown(fd, Int32(SHUT_RD)) } }

    /// Wakes a blocked reader or writer (used by the server on stop).
    func shutdown() { unlessClosed { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) } }

    /// Ends an answer the client may still be sending a body to (413, 431): half-closes the sending side and
    /// reads and discards what arrives for up to `seconds`, so that the close does not reset the connection
    /// before the client has read the answer (a close with unread data sends RST).
    func lingeringClose(seconds: Int = 1, maxBytes: Int = 16 << 20) {
        unlessClosed { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }
        setReceiveTimeout(seconds: seconds)
        var drained = 0
        while drained < maxBytes, fill() {
            drained += buffered.count
            consume(buffered.count)
        }
    }

    /// Closes the descriptor (once).
    func close() {
        closed.withLock { isClosed in
            guard !isClosed else { return }
            isClosed = true
            _ = Glibc.close(fd)
        }
    }

    private func unlessClosed(_ body: () -> Void) {
        closed.withLock { if !$0 { body() } }
    }
}
