import Foundation
import KubeCore

/// Every object of the sandbox, one global resourceVersion counter, a bounded event history for watch resume,
/// and the watchers. All access goes through ``sync(_:)`` (one recursive lock), so a multi-step operation such as
/// a cascading delete is atomic.
final class ObjectStore: @unchecked Sendable {
    private let lock = NSRecursiveLock()
    private var objects: [String: [String: JSONValue]] = [:]
    private var revisionCounter = 0
    private var history: [WatchEvent] = []
    private let historyLimit: Int
    /// The newest revision no longer in `history`: a watch from an older revision gets 410 Expired.
    private var compactedThrough = 0
    private var watchers: [Int: WatchSubscription] = [:]
    private var nextWatcherID = 1
    private let persistence: Persistence?

    /// Opens the store; with `persistence`, loads what it holds.
    init(historyLimit: Int = 2000, persistence: Persistence? = nil) throws {
        self.historyLimit = historyLimit
        self.persistence = persistence
        if let persistence {
            let state = try persistence.load()
            objects = state.objects
            revisionCounter = state.revision
            compactedThrough = state.revision
        }
    }

    /// Runs `body` with exclusive access to the store.
    func sync<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The current revision (the resourceVersion of the newest change).
    var revision: Int { sync { revisionCounter } }

    /// The newest revision whose changes are no longer retained (continue tokens and watches from before it expire).
    var compactedRevision: Int { sync { compactedThrough } }

    /// `namespace/name` or `name`.
    static func key(namespace: String?, name: String) -> String {
        if let namespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }

    func get(_ storeKey: String, namespace: String?, name: String) -> JSONValue? {
        sync { objects[storeKey]?[Self.key(namespace: namespace, name: name)] }
    }

    /// The objects of a resource, in one namespace or all, sorted by key.
    func list(_ storeKey: String, namespace: String?) -> [JSONValue] {
        sync {
            let all = objects[storeKey] ?? [:]
            let keys = all.keys.sorted()
            return keys.compactMap { k -> JSONValue? in
                guard let o = all[k] else { return nil }
                if let namespace, o.namespace != namespace { return nil }
                return o
            }
        }
    }

    /// Every stored object of every resource, with its store key.
    func everything() -> [(storeKey: String, object: JSONValue)] {
        sync {
            objects.flatMap { storeKey, byKey in byKey.values.map { (storeKey, $0) } }
        }
    }

    /// Stores `object` under a new revision (written into `metadata.resourceVersion`) and notifies watchers.
    @discardableResult
    func put(_ storeKey: String, _ object: JSONValue) throws -> JSONValue {
        try sync {
            let key = Self.key(namespace: object.namespace, name: object.name ?? "")
            let previous = objects[storeKey]?[key]
            revisionCounter += 1
            var stored = object
            stored["metadata", "resourceVersion"] = .string(String(revisionCounter))
            try persistence?.append(.put(storeKey: storeKey, object: stored, revision: revisionCounter))
            objects[storeKey, default: [:]][key] = stored
            record(WatchEvent(kind: previous != nil ? .modified : .added, storeKey: storeKey, object: stored, previous: previous, revision: revisionCounter))
            return stored
        }
    }

    /// Removes an object under a new revision and notifies watchers; returns it as last stored.
    @discardableResult
    func remove(_ storeKey: String, namespace: String?, name: String) throws -> JSONValue? {
        try sync {
            let key = Self.key(namespace: namespace, name: name)
            guard var object = objects[storeKey]?[key] else { return nil }
            revisionCounter += 1
            object["metadata", "resourceVersion"] = .string(String(revisionCounter))
            try persistence?.append(.remove(storeKey: storeKey, key: key, revision: revisionCounter))
            objects[storeKey]?[key] = nil
            record(WatchEvent(kind: .deleted, storeKey: storeKey, object: object, revision: revisionCounter))
            return object
        }
    }

    private func record(_ event: WatchEvent) {
        if let persistence, persistence.entriesSinceSnapshot >= persistence.checkpointEvery {
            do { try persistence.writeSnapshot(revision: revisionCounter, objects: objects) } catch {
                // The change is already durable in the log; a failed snapshot only delays compaction of the log.
                FileHandle.standardError.write(Data("sandbox: snapshot failed (the write-ahead log keeps every change): \(error)\n".utf8))
            }
        }
        history.append(event)
        if history.count > historyLimit {
            let drop = history.count - historyLimit
            compactedThrough = history[drop - 1].revision
            history.removeFirst(drop)
        }
        for w in watchers.values where w.wants(event) { w.push(event) }
    }

    /// Forgets the event history, as etcd compaction does: watches from any older revision get 410.
    func compact() {
        sync {
            compactedThrough = revisionCounter
            history.removeAll()
        }
    }

    /// Starts a watch. `from` nil: the current objects as ADDED events, then changes; `from` a revision: the
    /// changes after it (410 Expired if they are no longer retained).
    func subscribe(_ storeKey: String, namespace: String?, from: Int?) throws -> (initial: [WatchEvent], subscription: WatchSubscription) {
        try sync {
            let sub = WatchSubscription(id: nextWatcherID, storeKey: storeKey, namespace: namespace)
            nextWatcherID += 1
            var initial: [WatchEvent] = []
            if let from {
                if from < compactedThrough {
                    throw APIStatus.expired("too old resource version: \(from) (\(compactedThrough + 1))")
                }
                initial = history.filter { $0.revision > from && sub.wants($0) }
            } else {
                initial = list(storeKey, namespace: namespace).map {
                    WatchEvent(kind: .added, storeKey: storeKey, object: $0, revision: Int($0.resourceVersion ?? "") ?? 0)
                }
            }
            watchers[sub.id] = sub
            return (initial, sub)
        }
    }

    func unsubscribe(_ sub: WatchSubscription) {
        sync { _ = watchers.removeValue(forKey: sub.id) }
        sub.close()
    }

    /// Closes every open watch (fault injection and server stop).
    func closeAllWatches() {
        let open = sync { Array(watchers.values) }
        for w in open { w.close() }
    }

    /// Writes a final snapshot and releases the data directory; later writes fail.
    func close() throws {
        try sync {
            defer { persistence?.close() }
            try persistence?.writeSnapshot(revision: revisionCounter, objects: objects)
        }
    }
}
