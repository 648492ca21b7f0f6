import Foundation

/// Where the client writes its log lines: the request log at `debug`, configuration warnings at `warning`.
///
/// ```swift
/// let logger = ClientLogger(minimumLevel: .debug) { level, message in print("[\(level)] \(message)") }
/// ```
public struct ClientLogger: Sendable {
    /// Severity of a line.
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public var description: String { ["debug", "info", "warning", "error"][rawValue] }
    }

    /// Lines below this level are dropped.
    public var minimumLevel: Level
    private let sink: @Sendable (Level, String) -> Void

    public init(minimumLevel: Level = .info, sink: @escaping @Sendable (Level, String) -> Void) {
        self.minimumLevel = minimumLevel
        self.sink = sink
    }

    /// Writes `level: message` lines to standard error.
    public static func standardError(minimumLevel: Level = .info) -> ClientLogger {
        ClientLogger(minimumLevel: minimumLevel) { level, message in
            FileHandle.standardError.write(Data("\(level): \(message)\n".utf8))
        }
    }

    /// Drops everything.
    public static let silent = ClientLogger(minimumLevel: .error) { _, _ in }

    /// Logs `message()` if `level` is enabled.
    public func log(_ level: Level, _ message: @autoclosure () -> String) {
        if level >= minimumLevel { sink(level, message()) }
    }
}
