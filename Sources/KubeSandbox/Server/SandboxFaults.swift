import Foundation

/// Faults the sandbox injects for reliability tests. Parsed from a spec such as
/// `write-error-rate=0.2,read-error-rate=0.1,throttle-rate=0.05,latency=200ms,watch-close=5s,compact=10s,reset-rate=0.01`.
///
/// | key | meaning |
/// |-----|---------|
/// | `write-error-rate` | fraction of writes (POST, PUT, PATCH, DELETE) answered `500 InternalError` |
/// | `read-error-rate` | fraction of reads (GET, LIST, WATCH) answered `500 InternalError` |
/// | `write-throttle-rate` | fraction of writes answered `429 TooManyRequests` with `Retry-After` |
/// | `read-throttle-rate` | fraction of reads answered `429 TooManyRequests` with `Retry-After` |
/// | `throttle-rate` | sets both throttle rates |
/// | `retry-after` | the `Retry-After` of 429 answers (whole seconds, default 1s) |
/// | `latency` | added to every API request before it is handled |
/// | `watch-close` | every open watch is ended this often |
/// | `compact` | the event history is dropped this often (old resourceVersions then give 410) |
/// | `reset-rate` | fraction of API requests whose connection is reset without an answer |
///
/// Faults apply to resource requests under `/api` and `/apis` (not to discovery, `/metrics` or `/sandbox`).
public struct SandboxFaults: Sendable, Equatable, CustomStringConvertible {
    /// Fraction of writes answered 500.
    public var writeErrorRate: Double = 0
    /// Fraction of reads answered 500.
    public var readErrorRate: Double = 0
    /// Fraction of writes answered 429.
    public var writeThrottleRate: Double = 0
    /// Fraction of reads answered 429.
    public var readThrottleRate: Double = 0
    /// `Retry-After` seconds of 429 answers.
    public var retryAfterSeconds: Int = 1
    /// Added latency in seconds.
    public var latency: Double = 0
    /// Seconds between forced watch closes (0: never).
    public var watchCloseInterval: Double = 0
    /// Seconds between history compactions (0: never).
    public var compactInterval: Double = 0
    /// Fraction of requests whose connection is reset.
    public var resetRate: Double = 0

    /// No faults.
    public init() {}

    /// Parses a spec (see the type's documentation); an empty spec means no faults.
    /// - Throws: ``ParseError`` naming the bad key or value and the accepted keys.
    public init(spec: String) throws {
        for item in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ParseError(message: "fault \"\(item)\" is not key=value") }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            switch key {
            case "write-error-rate": writeErrorRate = try Self.rate(key, value)
            case "read-error-rate": readErrorRate = try Self.rate(key, value)
            case "write-throttle-rate": writeThrottleRate = try Self.rate(key, value)
            case "read-throttle-rate": readThrottleRate = try Self.rate(key, value)
            case "throttle-rate":
                writeThrottleRate = try Self.rate(key, value)
                readThrottleRate = writeThrottleRate
            case "retry-after": retryAfterSeconds = max(1, Int(try Self.duration(key, value).rounded(.up)))
            case "latency": latency = try Self.duration(key, value)
            case "watch-close": watchCloseInterval = try Self.duration(key, value)
            case "compact": compactInterval = try Self.duration(key, value)
            case "reset-rate": resetRate = try Self.rate(key, value)
            default:
                throw ParseError(message: "unknown fault \"\(key)\"; known: \(Self.keys.joined(separator: ", "))")
            }
        }
    }

    static let keys = ["write-error-rate", "read-error-rate", "write-throttle-rate", "read-throttle-rate", "throttle-rate",
                       "retry-after", "latency", "watch-close", "compact", "reset-rate"]

    /// A bad fault spec.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// What is wrong and what is accepted.
        public let message: String
        /// The message.
        public var description: String { message }
    }

    /// The spec form, e.g. `write-error-rate=0.2,latency=0.2s`; empty when there are no faults.
    public var description: String {
        var parts: [String] = []
        if writeErrorRate > 0 { parts.append("write-error-rate=\(writeErrorRate)") }
        if readErrorRate > 0 { parts.append("read-error-rate=\(readErrorRate)") }
        if writeThrottleRate > 0 { parts.append("write-throttle-rate=\(writeThrottleRate)") }
        if readThrottleRate > 0 { parts.append("read-throttle-rate=\(readThrottleRate)") }
        if retryAfterSeconds != 1 { parts.append("retry-after=\(retryAfterSeconds)s") }
        if latency > 0 { parts.append("latency=\(latency)s") }
        if watchCloseInterval > 0 { parts.append("watch-close=\(watchCloseInterval)s") }
        if compactInterval > 0 { parts.append("compact=\(compactInterval)s") }
        if resetRate > 0 { parts.append("reset-rate=\(resetRate)") }
        return parts.joined(separator: ",")
    }

    private static func rate(_ key: String, _ value: String) throws -> Double {
        guard let r = Double(value), r >= 0, r <= 1 else {
            throw ParseError(message: "fault \(key)=\(value): expected a fraction between 0 and 1, e.g. \(key)=0.1")
        }
        return r
    }

    /// Parses `200ms`, `2s`, `1.5s`, `1m`, `1h` into seconds.
    static func duration(_ key: String, _ value: String) throws -> Double {
        if let seconds = parseDuration(value) { return seconds }
        throw ParseError(message: "fault \(key)=\(value): expected a duration such as 200ms, 2s or 1m")
    }

    /// Parses a Go-style duration (`200ms`, `2s`, `1.5m`, `1h`); nil if it is not one.
    public static func parseDuration(_ value: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where value.hasSuffix(suffix) {
            if let n = Double(value.dropLast(suffix.count)), n >= 0 { return n * factor }
        }
        return nil
    }
}
