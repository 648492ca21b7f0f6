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

    /// Stops accepting and ends reading on every connection: idle ones close at once, a request being
    /// handled still gets its answer, streams see their writer close.
    func beginStop() {
        let open = lock.withLock { () -> [SocketConnection] in
            running = false
            return Array(connections.values)
        }
        for c in open { c.shutdownRead() }
    }

    /// Closes whatever is still open.
    func forceCloseAll() {
        let open = lock.withLock { Array(connections.values) }
        for c in open { c.shutdown() }
    }
}
