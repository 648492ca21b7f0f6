import COpenSSL
import FoundationEssentials
import Hashing
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP socket to the server, plain or TLS (OpenSSL), with the timeouts of the configuration.
///
/// Not thread-safe: a connection uses it from one thread at a time.
final class SocketTransport {
    private var fd: Int32
    private var tls: TLSSession?

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    /// Whether the bytes are encrypted.
    var usesTLS: Bool { tls != nil }

    var isOpen: Bool { fd >= 0 }

    /// Connects to `host:port` (every address the name resolves to, in order) within `timeoutSeconds`,
    /// with TCP_NODELAY and keep-alive; the socket is close-on-exec.
    static func connect(host: String, port: Int, timeoutSeconds: Double) throws -> SocketTransport {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw PostgresError(kind: .connection, message: "could not resolve host \"\(host)\": \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var failures: [String] = []
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            do {
                let fd = try connectOne(address.pointee, timeoutSeconds: timeoutSeconds)
                return SocketTransport(fd: fd)
            } catch let error as PostgresError {
                failures.append(error.message)
            }
        }
        let kind: PostgresError.Kind = failures.allSatisfy { $0.contains("timed out") } ? .timeout : .connection
        throw PostgresError(kind: kind, message: "could not connect to \(host):\(port): \(failures.joined(separator: "; "))")
    }

    private static func connectOne(_ address: addrinfo, timeoutSeconds: Double) throws -> Int32 {
        let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
        guard fd >= 0 else { throw PostgresError(kind: .connection, message: "socket(): \(Self.errnoText())") }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else {
                let text = errnoText()
                Glibc.close(fd)
                throw PostgresError(kind: .connection, message: text)
            }
            var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&pollfd, 1, Int32(max(1, timeoutSeconds * 1000)))
            if ready == 0 {
                Glibc.close(fd)
                throw PostgresError(kind: .timeout, message: "connect timed out after \(timeoutSeconds) s")
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if ready < 0 || socketError != 0 {
                let text = String(cString: strerror(ready < 0 ? errno : socketError))
                Glibc.close(fd)
                throw PostgresError(kind: .connection, message: text)
            }
        }
        _ = fcntl(fd, F_SETFL, flags)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// Sets SO_RCVTIMEO and SO_SNDTIMEO.
    func setTimeout(seconds: Double) {
        guard fd >= 0 else { return }
        let whole = seconds.rounded(.down)
        var value = timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Runs the TLS handshake on the connected socket.
    func startTLS(host: String, mode: PostgresSSLMode, rootCertificateFile: String?) throws {
        tls = try TLSSession(fd: fd, host: host, mode: mode, rootCertificateFile: rootCertificateFile)
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        guard fd >= 0 else { throw PostgresError(kind: .closed, message: "the connection is closed") }
        try bytes.withUnsafeBytes { buffer in
            if let tls {
                try tls.write(buffer)
                return
            }
            var offset = 0
            while offset < buffer.count {
                let sent = send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    if errno == EAGAIN || errno == EWOULDBLOCK {
                        throw PostgresError(kind: .timeout, message: "timed out writing to the server")
                    }
                    throw PostgresError(kind: .connection, message: "could not send to the server: \(Self.errnoText())")
                }
                offset += sent
            }
        }
    }

    /// Reads what is available (at least one byte) into `buffer`; throws on end of stream or timeout.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard fd >= 0 else { throw PostgresError(kind: .closed, message: "the connection is closed") }
        if let tls { return try tls.read(into: buffer) }
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return count }
            if count == 0 {
                throw PostgresError(kind: .connection, message: "the server closed the connection unexpectedly")
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                throw PostgresError(kind: .timeout, message: "no answer from the server within the timeout")
            }
            throw PostgresError(kind: .connection, message: "could not receive from the server: \(Self.errnoText())")
        }
    }

    /// Whether the socket has something to read or was hung up while the connection was idle: the server
    /// closed it (a restart sends FATAL 57P01, then closes).
    func hasPendingInputOrHangup() -> Bool {
        guard fd >= 0 else { return true }
        if let tls, tls.hasPendingBytes { return true }
        var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pollfd, 1, 0)
        return ready != 0
    }

    /// Closes the socket (after a TLS close_notify when TLS is on).
    func close() {
        guard fd >= 0 else { return }
        tls?.shutdown()
        tls = nil
        Glibc.close(fd)
        fd = -1
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

