import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Locking

/// A small HTTP/1.1 server on POSIX sockets: keep-alive, bodies by `Content-Length` or chunked, responses with
/// `Content-Length` or chunked streaming, bounded connections and request sizes. One thread per connection.
///
/// ```swift
/// let server = HTTPServer(options: HTTPServerOptions(port: 0)) { request in
///     .text(200, "ok\n")
/// }
/// let port = try server.start()
/// defer { server.stop() }
/// ```
public final class HTTPServer: Sendable {
    /// Handles one request; runs on the connection's thread and may block.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    /// An error from ``start()``, naming the failing system call.
    public struct StartError: Error, CustomStringConvertible, Sendable {
        /// What failed, with the errno text.
        public let description: String
    }

    private let options: HTTPServerOptions
    private let handler: Handler
    private let state = HTTPServerState()
    private let listener = ListenerBox()

    /// Creates a server; nothing listens until ``start()``.
    public init(options: HTTPServerOptions = HTTPServerOptions(), handler: @escaping Handler) {
        self.options = options
        self.handler = handler
    }

    /// The number of connections open right now.
    public var openConnections: Int { state.openConnections }

    /// Binds, listens and starts accepting on a background thread; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        signal(SIGPIPE, SIG_IGN)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(truncatingIfNeeded: options.port).bigEndian)
        guard inet_pton(AF_INET, options.host, &addr.sin_addr) == 1 else {
            close(fd)
            throw StartError(description: "invalid IPv4 listen address \"\(options.host)\" (use e.g. 127.0.0.1)")
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let text = String(cString: strerror(errno))
            close(fd)
            throw StartError(description: "bind(\(options.host):\(options.port)) failed: \(text); choose another port or 0 for a free one")
        }
        guard listen(fd, 128) == 0 else {
            let text = String(cString: strerror(errno))
            close(fd)
            throw StartError(description: "listen() failed: \(text)")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        listener.set(fd)
        state.setRunning(true)
        startThread(name: "http-accept-\(port)") { [self] in acceptLoop(fd) }
        return port
    }

    /// Stops gracefully: stops accepting, closes idle connections, lets requests being handled finish and
    /// streams end (their writer reports closed), waits up to `options.shutdownGraceSeconds`, then closes
    /// whatever is left.
    public func stop() {
        state.beginStop()
        if let fd = listener.take() {
            _ = shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
        let deadline = Date().addingTimeInterval(options.shutdownGraceSeconds)
        while state.openConnections > 0 && Date() < deadline { usleep(10_000) }
        state.forceCloseAll()
    }

    private func acceptLoop(_ fd: Int32) {
        while state.isRunning {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE { usleep(10_000); continue }
                return
            }
            var one: Int32 = 1
            _ = setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = SocketConnection(fd: client)
            guard state.add(connection, limit: options.maxConnections) else {
                _ = connection.send(Self.head(status: 503, headers: [("Content-Type", "text/plain")], length: 24, close: true) + Array("too many connections\r\n\r\n".utf8.prefix(24)))
                connection.close()
                continue
            }
            startThread(stackSize: 8 << 20) { [self] in serve(connection) }  // handlers may recurse through deeply nested JSON
        }
    }

    private func serve(_ socket: SocketConnection) {
        defer {
            state.remove(socket)
            socket.close()
        }
        socket.setReceiveTimeout(seconds: options.idleTimeoutSeconds)
        let parser = HTTPRequestParser(maxHeaderBytes: options.maxHeaderBytes, maxBodyBytes: options.maxBodyBytes)
        while state.isRunning {
            let request: HTTPRequest
            do {
                request = try parser.next(from: socket)
            } catch {
                if case .answer(let status, let message) = error {
                    let response = options.errorResponse(status, message)
                    let body: [UInt8]
                    if case .bytes(let bytes) = response.body { body = bytes } else { body = [] }
                    if socket.send(Self.head(status: response.status, headers: response.headers, length: body.count, close: true) + body) {
                        socket.lingeringClose()
                    }
                }
                return
            }
            let wantsClose = request.header("Connection")?.lowercased() == "close"
            let response = handler(request)
            switch response.body {
            case .resetConnection:
                socket.setResetOnClose()
                return
            case .bytes(let body):
                let bytes = request.method == "HEAD" ? [] : body
                guard socket.send(Self.head(status: response.status, headers: response.headers, length: body.count, close: wantsClose) + bytes) else { return }
            case .stream(let produce):
                guard socket.send(Self.head(status: response.status, headers: response.headers, length: nil, close: wantsClose)) else { return }
                let writer = HTTPStreamWriter(socket: socket, server: state)
                produce(writer)
                guard socket.send(Array("0\r\n\r\n".utf8)) else { return }
            }
            if wantsClose { return }
        }
    }

    /// The status line and headers; `length` nil means chunked.
    static func head(status: Int, headers: [(name: String, value: String)], length: Int?, close: Bool) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let length { text += "Content-Length: \(length)\r\n" } else { text += "Transfer-Encoding: chunked\r\n" }
        if close { text += "Connection: close\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }
}

/// The listening socket, settable once and taken once on stop.
private final class ListenerBox: Sendable {
    private let fd = Locked<Int32?>(nil)
    func set(_ value: Int32) { fd.withLock { $0 = value } }
    func take() -> Int32? { fd.withLock { fd in defer { fd = nil }; return fd } }
}

/// Runs `body` on a new detached POSIX thread (`stackSize` bytes of stack, or the default), named `name`
/// (cut to the 15 bytes Linux allows; set through /proc, as `pthread_setname_np` is not visible to Swift).
private func startThread(name: String? = nil, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
    final class Box {
        let name: String?
        let body: @Sendable () -> Void
        init(name: String?, body: @escaping @Sendable () -> Void) { self.name = name; self.body = body }
    }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
    let context = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(&thread, &attributes, { context in
        let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
        if let name = box.name {
            let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                let bytes = Array(name.utf8.prefix(15))
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        }
        box.body()
        return nil
    }, context)
    if result != 0 {
        Unmanaged<Box>.fromOpaque(context).release()
        fatalError("pthread_create failed: \(String(cString: strerror(result)))")
    }
}
