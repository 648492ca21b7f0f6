/// Reads big-endian integers and strings from a message body, throwing on truncation.
struct MessageBodyReader {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    private func require(_ count: Int) throws {
        guard count >= 0, bytes.endIndex - index >= count else {
            throw PostgresError.protocolViolation("truncated message from the server")
        }
    }

    mutating func readUInt8() throws -> UInt8 {
        try require(1)
        defer { index += 1 }
        return bytes[index]
    }

    mutating func readInt16() throws -> Int16 {
        try require(2)
        defer { index += 2 }
        return Int16(bitPattern: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
    }

    mutating func readInt32() throws -> Int32 {
        try require(4)
        defer { index += 4 }
        let value = UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
        return Int32(bitPattern: value)
    }

    mutating func readBytes(count: Int) throws -> [UInt8] {
        try require(count)
        defer { index += count }
        return Array(bytes[index..<index + count])
    }

    mutating func readString(count: Int) throws -> String {
        try require(count)
        defer { index += count }
        return String(decoding: bytes[index..<index + count], as: UTF8.self)
    }

    mutating func readCString() throws -> String {
        guard let end = bytes[index...].firstIndex(of: 0) else {
            throw PostgresError.protocolViolation("unterminated string in a message from the server")
        }
        defer { index = end + 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    mutating func readRemaining() -> [UInt8] {
        defer { index = bytes.endIndex }
        return Array(bytes[index...])
    }
}
