import Locking

/// A bounded pool of ``PostgresConnection``s, shared between threads.
///
/// Connections are opened lazily, at most `maxConnections` at a time; a thread that finds none free waits
/// up to `acquireTimeoutSeconds`, then gets a ``PostgresError/Kind/poolTimeout`` error. A connection goes back
/// to the pool only when it is open, idle (not inside a transaction) and did not fail with a connection
/// failure; query errors do not poison the pool. Before an idle connection is handed out, its socket is
/// polled: if the server closed it (after a restart it sends FATAL 57P01 and closes), it is discarded and a
/// fresh one is opened, so requests after a restart succeed once the server is back.
///
/// ```swift
/// let pool = PostgresPool(configuration: configuration, maxConnections: 10)
/// let count = try pool.withConnection { try $0.query("SELECT count(*) AS n FROM incidents").rows[0].decode("n", as: Int.self) }
/// ```
public final class PostgresPool: Sendable {
    private let configuration: PostgresConfiguration
    private let maxConnections: Int
    private let acquireTimeoutSeconds: Double
    private let storage = Storage()

    /// The pool's mutable state, guarded by its condition's lock.
    private final class Storage: @unchecked Sendable {
        let condition = ConditionLock()
        var idle: [PostgresConnection] = []
        var open = 0
        var isClosed = false
    }

    /// A pool of at most `maxConnections` connections to `configuration`'s server.
    public init(configuration: PostgresConfiguration, maxConnections: Int = 10, acquireTimeoutSeconds: Double = 5) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.maxConnections = maxConnections
        self.acquireTimeoutSeconds = acquireTimeoutSeconds
    }

    deinit { close() }

    /// Runs `body` with a connection of the pool, then returns the connection (or discards it when broken).
    @discardableResult
    public func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try acquire()
        let value: T
        do {
            value = try body(connection)
        } catch {
            release(connection, after: error)
            throw error
        }
        release(connection, after: nil)
        return value
    }

    /// Runs `body` inside a transaction on a connection of the pool (see ``PostgresConnection/transaction(_:)``).
    @discardableResult
    public func withTransaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { try $0.transaction(body) }
    }

    /// Refuses new acquisitions, closes the idle connections now and the in-use ones when they come back.
    public func close() {
        storage.condition.lock()
        storage.isClosed = true
        let idle = storage.idle
        storage.idle.removeAll()
        storage.open -= idle.count
        storage.condition.broadcast()
        storage.condition.unlock()
        for connection in idle { connection.close() }
    }

    /// Connections open now (idle, in use, or being opened).
    public var openConnections: Int {
        storage.condition.lock()
        defer { storage.condition.unlock() }
        return storage.open
    }

    /// Connections idle in the pool now.
    public var idleConnections: Int {
        storage.condition.lock()
        defer { storage.condition.unlock() }
        return storage.idle.count
    }

    private func acquire() throws -> PostgresConnection {
        let deadline = ContinuousClock.now + .seconds(acquireTimeoutSeconds)
        let storage = self.storage
        storage.condition.lock()
        while true {
            if storage.isClosed {
                storage.condition.unlock()
                throw PostgresError(kind: .closed, message: "the connection pool is closed")
            }
            if let connection = storage.idle.popLast() {
                storage.condition.unlock()
                if !connection.isStaleWhileIdle { return connection }
                connection.close()
                storage.condition.lock()
                storage.open -= 1
                continue
            }
            if storage.open < maxConnections {
                storage.open += 1
                storage.condition.unlock()
                do {
                    return try PostgresConnection.connect(configuration)
                } catch {
                    storage.condition.lock()
                    storage.open -= 1
                    storage.condition.signal()
                    storage.condition.unlock()
                    throw error
                }
            }
            if !storage.condition.wait(until: deadline) {
                // A release may have raced with the timeout: take a free slot if there is one.
                if !storage.idle.isEmpty || storage.open < maxConnections { continue }
                storage.condition.unlock()
                throw PostgresError(kind: .poolTimeout, message: "no database connection became free within \(acquireTimeoutSeconds) s (all \(maxConnections) in use)")
            }
        }
    }

    private func release(_ connection: PostgresConnection, after error: Error?) {
        let failed = (error as? PostgresError)?.isConnectionFailure ?? false
        let reusable = !failed && !connection.isClosed && connection.transactionStatus == UInt8(ascii: "I")
        storage.condition.lock()
        let keep = reusable && !storage.isClosed
        if keep {
            storage.idle.append(connection)
        } else {
            storage.open -= 1
        }
        storage.condition.signal()
        storage.condition.unlock()
        if !keep { connection.close() }
    }
}
