import FoundationEssentials
import Locking

/// The mutable state of one ``HTTPServer`` behind a lock: running flag and open connections.
final class HTTPServerState: Sendable {
    private struct Guarded {
        var running = false
        var connections: [Int32: SocketConnection] = [:]
    }

    private let state = Locked(Guarded())

    var isRunning: Bool { state.withLock { $0.running } }

    func setRunning(_ value: Bool) { state.withLock { $0.running = value } }

    /// Registers a connection; false if the server is stopping or `limit` connections are already open.
    func add(_ c: SocketConnection, limit: Int) -> Bool {
        state.withLock {
            guard $0.running, $0.connections.count < limit else { return false }
            $0.connections[c.fd] = c
            return true
        }
    }

    func remove(_ c: SocketConnection) { state.withLock { _ = $0.connections.removeValue(forKey: c.fd) } }

    var openConnections: Int { state.withLock { $0.connections.count } }

    /// Stops accepting and ends reading on every connection: idle ones close at once, a request being
    /// handled still gets its answer, streams see their writer close.
    func beginStop() {
        let open = state.withLock { guarded -> [SocketConnection] in
            guarded.running = false
            return Array(guarded.connections.values)
        }
        for c in open { c.shutdownRead() }
    }

    /// Closes whatever is still open.
    func forceCloseAll() {
        let open = state.withLock { Array($0.connections.values) }
        for c in open { c.shutdown() }
    }
}
