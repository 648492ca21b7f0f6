import KubeClient
import KubeCore
@testable import KubeRuntime

struct InjectedDisconnect: Error, CustomStringConvertible {
    var description: String { "connection reset by peer (injected)" }
}

/// An in-memory API for one kind: objects with resourceVersions, an event history, paged lists, watch
/// streams, and injectable disconnects, 410 expiries, bookmarks and failing watch calls.
actor FakeListWatchSource: ListWatchSource {
    private var objects: [String: JSONValue] = [:]
    private var version = 100
    private var history: [(rv: Int, event: WatchEvent)] = []
    private var compactedThrough = 0
    private var watchers: [Int: AsyncThrowingStream<WatchEvent, any Error>.Continuation] = [:]
    private var nextWatcher = 0
    private(set) var listCalls = 0
    private(set) var watchFromVersions: [String] = []
    private var failingWatches = 0

    var currentVersion: String { String(version) }
    var openWatches: Int { watchers.count }

    // MARK: - Changing the world

    @discardableResult
    func put(_ object: JSONValue) -> JSONValue {
        version += 1
        var o = object
        o["metadata", "resourceVersion"] = .string(String(version))
        let existed = objects[o.objectKey] != nil
        objects[o.objectKey] = o
        record(existed ? .modified(o) : .added(o))
        return o
    }

    func delete(_ key: String) {
        guard var o = objects.removeValue(forKey: key) else { return }
        version += 1
        o["metadata", "resourceVersion"] = .string(String(version))
        record(.deleted(o))
    }

    /// Ends every open watch with a transport error.
    func disconnect() {
        for (_, c) in watchers { c.finish(throwing: InjectedDisconnect()) }
        watchers = [:]
    }

    /// Compacts the history: watches from any version seen so far get 410; open watches end with 410.
    func expire() {
        compactedThrough = version
        history = []
        for (_, c) in watchers { c.finish(throwing: APIStatus.expired()) }
        watchers = [:]
    }

    /// Sends a bookmark at the current version to every open watch.
    func bookmark() {
        version += 1
        for (_, c) in watchers { c.yield(.bookmark(resourceVersion: String(version))) }
    }

    /// Makes the next `n` watch calls fail.
    func failNextWatches(_ n: Int) { failingWatches = n }

    private func record(_ event: WatchEvent) {
        history.append((version, event))
        for (_, c) in watchers { c.yield(event) }
    }

    // MARK: - ListWatchSource

    func list(limit: Int, continueToken: String?) async throws -> ObjectList {
        listCalls += 1
        let keys = objects.keys.sorted()
        let start = Int(continueToken ?? "0") ?? 0
        let end = min(keys.count, start + max(1, limit))
        let items = keys[start..<end].compactMap { objects[$0] }
        return ObjectList(items: items, resourceVersion: String(version), continueToken: end < keys.count ? String(end) : nil)
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        watchFromVersions.append(resourceVersion)
        if failingWatches > 0 {
            failingWatches -= 1
            throw InjectedDisconnect()
        }
        guard let from = Int(resourceVersion) else { throw APIStatus(code: 400, reason: .badRequest, message: "bad rv") }
        if from < compactedThrough { throw ResourceExpiredError() }
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        for (rv, event) in history where rv > from { continuation.yield(event) }
        nextWatcher += 1
        watchers[nextWatcher] = continuation
        return stream
    }
}

/// A small object of kind `Thing`.
func thing(_ namespace: String, _ name: String, spec: JSONValue = [:], labels: [String: String] = [:]) -> JSONValue {
    var o: JSONValue = ["apiVersion": "example.io/v1", "kind": "Thing", "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    if !labels.isEmpty { o["metadata", "labels"] = .object(labels.mapValues { .string($0) }) }
    return o
}

let thingResource = ResourceDescriptor(group: "example.io", version: "v1", kind: "Thing", plural: "things")

/// Options for tests: tiny backoffs, no resync unless asked.
func fastInformerOptions(resync: Duration? = nil, pageSize: Int = 500) -> InformerOptions {
    var o = InformerOptions()
    o.backoff = ExponentialBackoff(base: .milliseconds(1), cap: .milliseconds(20))
    o.resyncPeriod = resync
    o.pageSize = pageSize
    return o
}

/// Waits until `condition` holds, checking every few milliseconds for at most `seconds`; returns whether it held.
func eventually(seconds: Double = 10, _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}

/// Collects the events a handler receives.
actor EventLog {
    private(set) var events: [InformerEvent] = []
    func append(_ e: InformerEvent) { events.append(e) }
    func names(_ filter: (InformerEvent) -> Bool) -> [String] { events.filter(filter).compactMap { $0.object.name } }
}
