import FoundationEssentials
import TextSupport

/// Reads requests from a ``SocketConnection``: the head, then the body by `Content-Length` or chunked.
struct HTTPRequestParser {
    /// Why a request could not be read; carries the status to answer with (nil: just close).
    enum Failure: Error {
        case closed
        case answer(status: Int, message: String)
    }

    let maxHeaderBytes: Int
    let maxBodyBytes: Int

    /// Reads the next request; `Failure.closed` when the client closed the connection between requests.
    func next(from socket: SocketConnection) throws(Failure) -> HTTPRequest {
        let headEnd = try readHead(socket)
        let head = Array(socket.buffered.prefix(headEnd))
        socket.consume(headEnd + 4)
        guard let text = String(validating: head, as: UTF8.self) else { throw .answer(status: 400, message: "request head is not UTF-8") }
        var lines = text.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            throw .answer(status: 400, message: "malformed request line")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw .answer(status: 400, message: "malformed header line \"\(line)\"") }
            let name = line[..<colon].trimmingWhitespace()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            headers.append((name, value))
        }
        let target = String(requestLine[1])
        let pathPart: Substring
        let query: Substring
        if let q = target.firstIndex(of: "?") {
            pathPart = target[..<q]
            query = target[target.index(after: q)...]
        } else {
            pathPart = target[...]
            query = ""
        }
        var request = HTTPRequest(method: String(requestLine[0]).uppercased(), path: HTTPRequest.percentDecode(String(pathPart)),
                                  rawQuery: String(query), headers: headers)
        let chunked = request.header("Transfer-Encoding")?.lowercased().contains("chunked") == true
        if let lengthText = request.header("Content-Length"), let length = Int(lengthText), length > maxBodyBytes {
            throw .answer(status: 413, message: "request body of \(length) bytes exceeds the limit of \(maxBodyBytes)")
        }
        if request.header("Expect")?.lowercased() == "100-continue" {
            // libcurl waits for this (up to a second) before it sends a body larger than 1 KiB.
            _ = socket.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        if chunked {
            request.body = try readChunked(socket)
        } else if let lengthText = request.header("Content-Length") {
            guard let length = Int(lengthText), length >= 0 else { throw .answer(status: 400, message: "invalid Content-Length \"\(lengthText)\"") }
            guard length <= maxBodyBytes else { throw .answer(status: 413, message: "request body of \(length) bytes exceeds the limit of \(maxBodyBytes)") }
            request.body = try readExactly(socket, length)
        }
        return request
    }

    private func readHead(_ socket: SocketConnection) throws(Failure) -> Int {
        var scanned = 0
        while true {
            let buf = socket.buffered
            if buf.count >= 4 {
                let base = buf.startIndex
                var i = max(0, scanned - 3)
                while i + 3 < buf.count {
                    if buf[base + i] == 13, buf[base + i + 1] == 10, buf[base + i + 2] == 13, buf[base + i + 3] == 10 {
                        if i > maxHeaderBytes { throw .answer(status: 431, message: "request head exceeds the limit of \(maxHeaderBytes) bytes") }
                        return i
                    }
                    i += 1
                }
                scanned = buf.count
            }
            if buf.count > maxHeaderBytes {
                throw .answer(status: 431, message: "request head exceeds the limit of \(maxHeaderBytes) bytes")
            }
            if !socket.fill() {
                if socket.buffered.isEmpty { throw .closed }
                throw .answer(status: 400, message: "connection closed inside the request head")
            }
        }
    }

    private func readExactly(_ socket: SocketConnection, _ count: Int) throws(Failure) -> [UInt8] {
        while socket.buffered.count < count {
            if !socket.fill() { throw .closed }
        }
        let bytes = Array(socket.buffered.prefix(count))
        socket.consume(count)
        return bytes
    }

    private func readLine(_ socket: SocketConnection) throws(Failure) -> String {
        while true {
            let buf = socket.buffered
            if let nl = buf.firstIndex(of: 10) {
                let line = buf[buf.startIndex..<nl]
                let text = String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
                socket.consume(nl - buf.startIndex + 1)
                return text
            }
            if buf.count > 4096 { throw .answer(status: 400, message: "chunk size line too long") }
            if !socket.fill() { throw .closed }
        }
    }

    private func readChunked(_ socket: SocketConnection) throws(Failure) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine(socket)
            let sizeText = sizeLine.split(separator: ";").first.map { $0.trimmingWhitespace() } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw .answer(status: 400, message: "invalid chunk size \"\(sizeLine)\"") }
            if size == 0 {
                while try !readLine(socket).isEmpty {}  // trailers
                return body
            }
            // Compared by subtraction: the size comes from the client and may be close to Int.max.
            guard size <= maxBodyBytes - body.count else {
                throw .answer(status: 413, message: "request body exceeds the limit of \(maxBodyBytes) bytes")
            }
            body += try readExactly(socket, size)
            _ = try readLine(socket)
        }
    }
}
