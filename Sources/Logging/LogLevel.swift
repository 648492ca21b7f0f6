/// The severity of a log line; lines below a logger's level are not written.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Detail for debugging; `info` for normal operation; `warn` for trouble that heals; `error` for failures.
    case debug, info, warn, error

    /// Parses `debug`, `info`, `warn` (or `warning`), `error`, case-insensitively.
    public init?(name: String) {
        switch name.lowercased() {
        case "debug": self = .debug
        case "info": self = .info
        case "warn", "warning": self = .warn
        case "error": self = .error
        default: return nil
        }
    }

    /// Orders levels from `debug` to `error`.
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    /// The lower-case name written in log lines.
    public var description: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .warn: return "warn"
        case .error: return "error"
        }
    }
}
