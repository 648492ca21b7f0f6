import Foundation

/// The mutable state of one ``HTTPServer`` behind a lock: running flag and open connections.
final class HTTPServerState: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var connections: [Int32: SocketConnection] = [:]

    var isRunning: Bool { lock.withLock { running } }

    func setRunning(_ value: Bool) { lock.withLock { running = value } }

    /// Registers a connection; false if the server is stopping or `limit` connections are already open.
    func add(_ c: SocketConnection, limit: Int) -> Bool {
        lock.withLock {
            guard running, connections.count < limit else { return false }
            connections[c.fd] = c
            return true
        }
    }

    func remove(_ c: SocketConnection) { lock.withLock { _ = connections.removeValue(forKey: c.fd) } }

    var openConnections: Int { lock.withLock { connections.count } }

    /// Stops accepting and wakes every connection thread.
    func stopAll() {
        let open = lock.withLock { () -> [SocketConnection] in
            running = false
            return Array(connections.values)
        }
        for c in open { c.shutdown() }
    }
}
