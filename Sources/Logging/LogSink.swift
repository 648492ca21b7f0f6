import FoundationEssentials
#if canImport(Glibc)
import Glibc
import Locking
#endif

/// Where log lines go. Each line is written with one `write(2)` under a lock, so lines from concurrent
/// tasks never interleave.
public final class LogSink: Sendable {
    private enum Target { case fd(Int32), memory }
    private let target: Target
    private let state = Locked<[String]>([])

    private init(_ target: Target) { self.target = target }

    /// Standard error (the default: standard output stays free for command output).
    public static let standardError = LogSink(.fd(2))
    /// Standard output.
    public static let standardOutput = LogSink(.fd(1))
    /// A sink writing to an open file descriptor.
    public static func fileDescriptor(_ fd: Int32) -> LogSink { LogSink(.fd(fd)) }
    /// A sink that keeps lines in memory (for tests): read them with ``lines``.
    public static func memory() -> LogSink { LogSink(.memory) }

    /// The lines a memory sink received, without their newline.
    public var lines: [String] { state.withLock { $0 } }

    /// Writes `line` and a newline.
    func write(_ line: String) {
        switch target {
        case .memory:
            state.withLock { $0.append(line) }
        case .fd(let fd):
            var bytes = Array(line.utf8)
            bytes.append(0x0A)
            state.withLock { _ in
                bytes.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    var offset = 0
                    while offset < raw.count {
                        let n = Glibc.write(fd, base + offset, raw.count - offset)
                        if n > 0 { offset += n } else if n < 0, errno == EINTR { continue } else { break }
                    }
                }
            }
        }
    }
}
