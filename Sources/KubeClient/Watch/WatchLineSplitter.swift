/// Cuts a byte stream into newline-terminated lines as chunks arrive: a line may span chunks and a chunk may
/// hold several lines. Memory stays bounded: consumed bytes are dropped, and a line longer than
/// `maxLineLength` is an error.
struct WatchLineSplitter: Sendable {
    /// The longest line accepted (the API server's objects are at most a few MiB).
    let maxLineLength: Int
    private var pending: [UInt8] = []

    init(maxLineLength: Int = 16 << 20) { self.maxLineLength = maxLineLength }

    /// Bytes of an unfinished line held back.
    var bufferedByteCount: Int { pending.count }

    /// Appends `chunk` and returns the complete lines in it (without the newline; blank lines skipped).
    mutating func feed(_ chunk: UnsafeRawBufferPointer) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        let newline = UInt8(ascii: "\n")
        for i in 0..<chunk.count where chunk[i] == newline {
            var line = pending
            line.append(contentsOf: chunk[start..<i])
            pending.removeAll(keepingCapacity: pending.count <= 4096)
            start = i + 1
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if !line.isEmpty { lines.append(line) }
        }
        pending.append(contentsOf: chunk[start...])
        if pending.count > maxLineLength {
            pending = []
            throw KubeClientError.invalidResponse("a watch event is longer than \(maxLineLength) bytes without a newline")
        }
        return lines
    }

    /// Convenience for tests and byte arrays.
    mutating func feed(_ chunk: [UInt8]) throws -> [[UInt8]] {
        try chunk.withUnsafeBytes { try feed($0) }
    }
}
