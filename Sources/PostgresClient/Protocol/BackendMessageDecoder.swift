/// Splits a byte stream from the server into messages: bytes go in with ``append(_:)`` as they arrive,
/// whole messages come out of ``next()``.
package struct BackendMessageDecoder {
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// The largest message accepted (PostgreSQL's own limit for a field is 1 GB).
    private static let maximumMessageLength = 1 << 30

    package init() {
        buffer.reserveCapacity(64 * 1024)
    }

    /// Whether bytes are buffered that do not yet form a whole message (or more messages).
    package var hasBufferedBytes: Bool { readIndex < buffer.count }

    /// Adds bytes read from the socket.
    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes (for tests).
    package mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next whole message, or `nil` when more bytes are needed.
    package mutating func next() throws -> BackendMessage? {
        let available = buffer.count - readIndex
        guard available >= 5 else { return nil }
        let type = buffer[readIndex]
        let length = Int(UInt32(buffer[readIndex + 1]) << 24 | UInt32(buffer[readIndex + 2]) << 16
            | UInt32(buffer[readIndex + 3]) << 8 | UInt32(buffer[readIndex + 4]))
        guard length >= 4, length <= Self.maximumMessageLength else {
            throw PostgresError.protocolViolation("invalid message length \(length) for message type \(type)")
        }
        guard available >= 1 + length else { return nil }
        let bodyStart = readIndex + 5
        let bodyEnd = readIndex + 1 + length
        readIndex = bodyEnd
        return try BackendMessage.decode(type: type, body: buffer[bodyStart..<bodyEnd])
    }

    /// Takes one raw byte (the answer to an SSLRequest), or `nil` when none is buffered.
    package mutating func nextByte() -> UInt8? {
        guard readIndex < buffer.count else { return nil }
        defer { readIndex += 1 }
        return buffer[readIndex]
    }

    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 64 * 1024 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
