import Foundation
import KubeCore

/// A watcher's queue of events. The store pushes under its lock; the watch handler waits on it.
final class WatchSubscription: @unchecked Sendable {
    let id: Int
    let storeKey: String
    let namespace: String?
    private let condition = NSCondition()
    private var queue: [WatchEvent] = []
    private var closed = false
    /// A watcher this far behind is dropped, as the real server drops slow watchers.
    private let capacity = 10_000

    init(id: Int, storeKey: String, namespace: String?) {
        self.id = id
        self.storeKey = storeKey
        self.namespace = namespace
    }

    /// Whether the event concerns this watcher (resource and namespace; selectors are applied by the handler).
    func wants(_ event: WatchEvent) -> Bool {
        guard event.storeKey == storeKey else { return false }
        if let namespace { return event.object.namespace == namespace }
        return true
    }

    func push(_ event: WatchEvent) {
        condition.lock()
        if queue.count >= capacity { closed = true } else { queue.append(event) }
        condition.signal()
        condition.unlock()
    }

    /// Ends the watch (server stop, fault injection, slow watcher).
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits up to `timeout` seconds for events; returns them and whether the subscription was closed.
    func next(timeout: Double) -> (events: [WatchEvent], closed: Bool) {
        condition.lock()
        defer { condition.unlock() }
        if queue.isEmpty && !closed { _ = condition.wait(until: Date().addingTimeInterval(timeout)) }
        let events = queue
        queue.removeAll()
        return (events, closed)
    }
}
