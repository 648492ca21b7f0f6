import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// A structured logger: JSON lines by default, `text` for people, four levels, bound key-values, and
/// redaction of values under keys that name credentials.
///
/// ```swift
/// let log = Logger(name: "incident-operator", level: .info, format: .json)
/// let rlog = log.named("incidentplatform").with(["namespace": "ops", "name": "prod"])
/// rlog.info("applied child", ["kind": "Deployment", "child": "grafana"])
/// // {"ts":"2026-11-22T16:00:00.123Z","level":"info","msg":"applied child","logger":"incident-operator.incidentplatform","namespace":"ops","name":"prod","kind":"Deployment","child":"grafana"}
/// ```
///
/// Values under keys containing `token`, `password`, `passwd`, `secret`, `authorization`, `apikey`,
/// `api_key`, `credential` or `private` (any case), and values starting with `Bearer `, print as `[REDACTED]`.
public struct Logger: Sendable {
    /// The logger's name (dotted: `operator.controller`).
    public var name: String
    /// The lowest level written.
    public var level: LogLevel
    /// The line format.
    public var format: LogFormat
    /// Where lines go.
    public var sink: LogSink
    private var fields: [(String, LogValue)] = []

    /// A logger writing `format` lines at `level` and above to `sink`.
    public init(name: String = "", level: LogLevel = .info, format: LogFormat = .json, sink: LogSink = .standardError) {
        self.name = name
        self.level = level
        self.format = format
        self.sink = sink
    }

    /// A logger that writes nothing (for tests and libraries used without logging).
    public static let disabled: Logger = {
        var l = Logger(sink: .memory())
        l.level = .error
        l.enabled = false
        return l
    }()

    private var enabled = true

    /// A child logger named `name` under this one (`parent.name`).
    public func named(_ child: String) -> Logger {
        var l = self
        l.name = name.isEmpty ? child : "\(name).\(child)"
        return l
    }

    /// A logger that adds `fields` to every line (later values win for repeated keys).
    public func with(_ fields: KeyValuePairs<String, LogValue>) -> Logger {
        var l = self
        for (k, v) in fields {
            l.fields.removeAll { $0.0 == k }
            l.fields.append((k, v))
        }
        return l
    }

    /// Writes a debug line.
    public func debug(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.debug, message(), fields)
    }
    /// Writes an info line.
    public func info(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.info, message(), fields)
    }
    /// Writes a warning.
    public func warn(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.warn, message(), fields)
    }
    /// Writes an error line.
    public func error(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.error, message(), fields)
    }

    /// Whether a line at `level` would be written.
    public func isEnabled(_ level: LogLevel) -> Bool { enabled && level >= self.level }

    /// Writes one line at `level`.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, _ extra: KeyValuePairs<String, LogValue> = [:]) {
        guard isEnabled(level) else { return }
        var all = fields
        for (k, v) in extra {
            all.removeAll { $0.0 == k }
            all.append((k, v))
        }
        let ts = Self.timestamp(Date())
        let msg = message()
        switch format {
        case .json:
            var line = "{\"ts\":\"\(ts)\",\"level\":\"\(level)\",\"msg\":\(LogValue.string(msg).json)"
            if !name.isEmpty { line += ",\"logger\":\(LogValue.string(name).json)" }
            for (k, v) in all {
                line += ",\(LogValue.string(k).json):\(Self.redacted(k, v).json)"
            }
            line += "}"
            sink.write(line)
        case .text:
            var line = "\(ts) \(Self.padded(level.description.uppercased(), to: 5))"
            if !name.isEmpty { line += " \(name)" }
            line += " " + msg.replacingAll("\n", with: "\\n")
            for (k, v) in all {
                line += " \(k)=\(Self.textEscaped(Self.redacted(k, v).description))"
            }
            sink.write(line)
        }
    }

    // MARK: - Formatting

    private static let sensitiveKeyParts = [
        "token", "password", "passwd", "secret", "authorization", "apikey", "api_key", "credential", "private",
    ]

    /// Whether values under `key` are hidden.
    static func isSensitive(_ key: String) -> Bool {
        let k = key.lowercased()
        return sensitiveKeyParts.contains { k.contains($0) }
    }

    static func redacted(_ key: String, _ value: LogValue) -> LogValue {
        if isSensitive(key) { return "[REDACTED]" }
        if case .string(let s) = value, s.lowercased().hasPrefix("bearer ") { return "[REDACTED]" }
        return value
    }

    /// `s` cut or padded with spaces to `width` characters (the level column of text lines).
    private static func padded(_ s: String, to width: Int) -> String {
        s.count >= width ? String(s.prefix(width)) : s + String(repeating: " ", count: width - s.count)
    }

    private static func textEscaped(_ s: String) -> String {
        let needsQuotes = s.isEmpty || s.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        guard needsQuotes else { return s }
        return LogValue.string(s).json
    }

    /// RFC 3339 UTC with milliseconds: `2026-11-22T16:00:00.123Z`.
    package static func timestamp(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(t.rounded(.down))
        var millis = Int(((t - t.rounded(.down)) * 1000).rounded(.down))
        if millis > 999 { millis = 999 }
        var tm = tm()
        gmtime_r(&seconds, &tm)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T"
            + "\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}

extension String {
    /// Every occurrence of `target` replaced, compared by UTF-8 bytes: "\n" is found inside "\r\n" too, as with
    /// Foundation's `replacingOccurrences(of:with:)` (the stdlib's `replacing(_:with:)` compares Characters, and
    /// "\r\n" is one). Unlike Foundation, an occurrence followed by a combining mark is replaced too.
    func replacingAll(_ target: String, with replacement: String) -> String {
        String(decoding: Array(utf8).replacing(Array(target.utf8), with: Array(replacement.utf8)), as: UTF8.self)
    }
}
