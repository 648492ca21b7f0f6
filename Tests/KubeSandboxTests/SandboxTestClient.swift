import Foundation
import KubeCore
import KubeSandbox
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over one keep-alive socket, for driving an in-process sandbox in tests.
final class SandboxTestClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// The answer to one request.
    struct Reply {
        var status: Int
        var headers: [String: String]
        var text: String
        var json: JSONValue { (try? JSONValue(json: text)) ?? .null }
    }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else { throw POSIXError(.ECONNREFUSED) }
        var tv = timeval(tv_sec: 15, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends a request and reads the whole answer.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: JSONValue? = nil, contentType: String = "application/json",
              headers: [String: String] = [:]) -> Reply {
        sendHead(method, path, body: body.map { $0.jsonBytes() } ?? [], contentType: contentType, headers: headers)
        return readReply() ?? Reply(status: 0, headers: [:], text: "")
    }

    /// Sends a request with a raw text body.
    @discardableResult
    func sendText(_ method: String, _ path: String, _ text: String, contentType: String) -> Reply {
        sendHead(method, path, body: Array(text.utf8), contentType: contentType)
        return readReply() ?? Reply(status: 0, headers: [:], text: "")
    }

    @discardableResult
    func get(_ path: String, headers: [String: String] = [:]) -> Reply { send("GET", path, headers: headers) }
    @discardableResult
    func post(_ path: String, _ body: JSONValue) -> Reply { send("POST", path, body) }
    @discardableResult
    func put(_ path: String, _ body: JSONValue) -> Reply { send("PUT", path, body) }
    @discardableResult
    func delete(_ path: String) -> Reply { send("DELETE", path) }
    @discardableResult
    func patch(_ path: String, _ body: JSONValue, _ type: String = "application/merge-patch+json") -> Reply {
        send("PATCH", path, body, contentType: type)
    }

    func sendHead(_ method: String, _ path: String, body: [UInt8], contentType: String = "application/json", headers: [String: String] = [:]) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: sandbox\r\nUser-Agent: sandbox-tests/1.0\r\n"
        if !body.isEmpty { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + body
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        buffer += chunk[0..<n]
        return true
    }

    private func line() -> String? {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                let l = String(decoding: buffer[0..<i], as: UTF8.self).trimmingCharacters(in: .init(charactersIn: "\r"))
                buffer.removeFirst(i + 1)
                return l
            }
            if !fill() { return nil }
        }
    }

    private func bytes(_ n: Int) -> [UInt8]? {
        while buffer.count < n { if !fill() { return nil } }
        let out = Array(buffer.prefix(n))
        buffer.removeFirst(n)
        return out
    }

    private var pendingHeaders: [String: String] = [:]

    /// Reads a status line and headers; returns status.
    func readHead() -> Int? {
        guard let statusLine = line() else { return nil }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        pendingHeaders = [:]
        while let l = line(), !l.isEmpty {
            if let c = l.firstIndex(of: ":") { pendingHeaders[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces) }
        }
        return status
    }

    /// The next chunk of a chunked body; nil at the end.
    func nextChunk() -> String? {
        guard let size = line().flatMap({ Int($0, radix: 16) }), size > 0 else { return nil }
        let data = bytes(size) ?? []
        _ = line()
        return String(decoding: data, as: UTF8.self)
    }

    private func readReply() -> Reply? {
        guard let status = readHead() else { return nil }
        let headers = pendingHeaders
        var text = ""
        if let n = headers["content-length"].flatMap(Int.init) {
            text = String(decoding: bytes(n) ?? [], as: UTF8.self)
        } else if headers["transfer-encoding"] == "chunked" {
            while let c = nextChunk() { text += c }
            _ = line()
        }
        return Reply(status: status, headers: headers, text: text)
    }

    /// Starts a watch and returns a reader of its events (one per call, nil when the stream ends).
    func watch(_ path: String) -> WatchReader {
        sendHead("GET", path, body: [])
        _ = readHead()
        return WatchReader(client: self)
    }

    final class WatchReader {
        let client: SandboxTestClient
        private var pending = ""
        init(client: SandboxTestClient) { self.client = client }

        /// The next event (`type`, `object`), or nil when the stream ends.
        func next() -> JSONValue? {
            while true {
                if let nl = pending.firstIndex(of: "\n") {
                    let line = String(pending[..<nl])
                    pending = String(pending[pending.index(after: nl)...])
                    return try? JSONValue(json: line)
                }
                guard let chunk = client.nextChunk() else { return nil }
                pending += chunk
            }
        }
    }
}

/// Starts an in-process sandbox for one test.
func withSandbox(_ configure: (inout SandboxOptions) throws -> Void = { _ in }, _ body: (SandboxServer, SandboxTestClient) throws -> Void) throws {
    var options = SandboxOptions()
    options.readyDelay = 0.2
    options.nodes = 2
    try configure(&options)
    let sandbox = SandboxServer(options: options)
    let port = try sandbox.start()
    defer { sandbox.stop() }
    try body(sandbox, try SandboxTestClient(port: port))
}

/// Polls `condition` every 50 ms for at most `seconds`; true once it holds.
func eventually(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}

/// A ConfigMap manifest.
func configMap(_ name: String, labels: [String: String] = [:], data: [String: String] = [:]) -> JSONValue {
    var cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)]]
    if !labels.isEmpty { cm["metadata", "labels"] = .object(labels.mapValues { .string($0) }) }
    if !data.isEmpty { cm["data"] = .object(data.mapValues { .string($0) }) }
    return cm
}

/// A Deployment manifest with one container.
func deployment(_ name: String, replicas: Int? = 2, image: String = "nginx") -> JSONValue {
    var d: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
        "spec": [
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": ["metadata": ["labels": ["app": .string(name)]], "spec": ["containers": [["name": "main", "image": .string(image)]]]],
        ],
    ]
    if let replicas { d["spec", "replicas"] = .int(replicas) }
    return d
}
