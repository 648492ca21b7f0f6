/// Lets at most `limit` bodies run at once; the others wait their turn in arrival order.
///
/// Informers can share one (``InformerOptions/listLimit``) so that a restarted operator does not hold a
/// list page of every kind, decoded whole objects, at the same moment.
///
/// Caveat: a task waiting for its turn is not woken by cancellation; it waits until a running body ends (keep
/// the bodies bounded in time, as requests with a timeout are).
///
/// ```swift
/// let lists = ConcurrencyLimit(2)
/// let page = try await lists.run { try await source.list(limit: 100, continueToken: nil) }
/// ```
public actor ConcurrencyLimit {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A limit of `limit` concurrent bodies (at least 1).
    public init(_ limit: Int) { self.limit = max(1, limit) }

    /// Runs `body` once fewer than `limit` others are running.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if running < limit {
            running += 1
        } else {
            // The permit is handed over by `release`, so `running` already counts this body.
            await withCheckedContinuation { waiting.append($0) }
        }
        defer { release() }
        return try await body()
    }

    /// How many bodies run now (for tests and metrics).
    public var inUse: Int { running }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
