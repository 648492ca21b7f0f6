import Foundation

/// Counts requests by status code, method and host, for `rest_client_requests_total{code,method,host}`.
/// Thread-safe; read with ``snapshot()``.
public final class RequestMetrics: @unchecked Sendable {
    // @unchecked: `counts` is guarded by `lock`.
    private let lock = NSLock()
    private var counts: [Key: Int] = [:]

    /// The labels of one counter.
    public struct Key: Sendable, Hashable, Comparable {
        /// The HTTP status code, or `<error>` when no answer came.
        public var code: String
        /// `GET`, `POST`, ...
        public var method: String
        /// `host:port` of the API server.
        public var host: String

        public init(code: String, method: String, host: String) {
            self.code = code
            self.method = method
            self.host = host
        }

        public static func < (a: Key, b: Key) -> Bool { (a.host, a.method, a.code) < (b.host, b.method, b.code) }
    }

    public init() {}

    func record(code: String, method: String, host: String) {
        let key = Key(code: code, method: method, host: host)
        lock.withLock { counts[key, default: 0] += 1 }
    }

    /// The counters so far, sorted by host, method and code.
    public func snapshot() -> [(key: Key, count: Int)] {
        lock.withLock { counts.map { (key: $0.key, count: $0.value) } }.sorted { $0.key < $1.key }
    }

    /// The count for one combination of labels.
    public func count(code: String, method: String, host: String) -> Int {
        lock.withLock { counts[Key(code: code, method: method, host: host)] ?? 0 }
    }
}
