import KubeClient
import KubeCore
import Locking
import Logging
import Signals

/// Keeps a ``Store`` of one kind in step with the API server and tells handlers what changed, like
/// client-go's shared informer and kube-rs's watcher + reflector.
///
/// Guarantees:
/// - Lists (paged) then watches from the list's resourceVersion; after a disconnect it watches again from
///   the last resourceVersion seen (events and bookmarks), so nothing is missed.
/// - On 410 Gone (expired resourceVersion) it lists again and reports the difference to the cache as
///   added/updated/deleted events, so changes during an outage are not lost.
/// - Failed lists and watches back off 800 ms doubling to 30 s; a watch that stayed healthy for
///   ``InformerOptions/healthyPeriod`` resets the backoff.
/// - Every ``InformerOptions/resyncPeriod`` (10 min ± 10%) handlers get a `.resync` event per object.
/// - Each handler sees events in order; a handler registered late first gets `.added` for every cached object.
///
/// ```swift
/// let platforms = Informer(resource: .incidentPlatforms, source: source)
/// platforms.start()
/// await platforms.waitUntilSynced()
/// let prod = platforms.store.get("ops/prod")
/// ```
public final class Informer: Sendable {
    /// The kind this informer watches.
    public let resource: ResourceDescriptor
    /// The cache.
    public let store: Store
    /// The projection applied to every object before it is stored.
    public let projection: ObjectProjection
    private let source: any ListWatchSource
    private let options: InformerOptions
    private let logger: Logger

    private struct Handler {
        var id: Int
        var continuation: AsyncStream<PendingEvent>.Continuation
    }

    private struct State {
        var handlers: [Handler] = []
        var nextHandlerID = 0
        var runTask: Task<Void, Never>?
        var lastResourceVersion: String?
    }

    private let state = Locked(State())
    private let synced = ShutdownSignal()

    /// An informer of `resource` reading from `source`, storing objects through `projection`; with `index`, the
    /// store also keeps the projected objects by the value `index` returns (nil: not indexed), for
    /// ``Store/list(indexedAs:)``.
    public init(
        resource: ResourceDescriptor, source: any ListWatchSource, projection: ObjectProjection = .identity,
        index: (@Sendable (JSONValue) -> String?)? = nil,
        options: InformerOptions = InformerOptions(), logger: Logger = .disabled
    ) {
        self.resource = resource
        self.store = Store(index: index)
        self.source = source
        self.projection = projection
        self.options = options
        self.logger = logger.named("informer").with(["resource": .string(resource.qualifiedName)])
    }

    /// Whether the first list has completed (the store holds a full view).
    public var hasSynced: Bool { synced.isTriggered }

    /// The last resourceVersion seen (list, event or bookmark).
    public var lastResourceVersion: String? { state.withLock { $0.lastResourceVersion } }

    /// Waits until the first list has completed (or the calling task is cancelled).
    public func waitUntilSynced() async {
        await synced.wait()
    }

    /// Registers `handler`; it gets `.added` for each cached object first, then every change in order.
    /// Handlers run one event at a time on their own task. Returns an id for ``removeEventHandler(_:)``.
    @discardableResult
    public func addEventHandler(_ handler: @escaping @Sendable (InformerEvent) async -> Void) -> Int {
        let (stream, continuation) = AsyncStream<PendingEvent>.makeStream()
        let id = state.withLock { s -> Int in
            s.nextHandlerID += 1
            for object in store.encodedObjects { continuation.yield(.added(object)) }
            s.handlers.append(Handler(id: s.nextHandlerID, continuation: continuation))
            return s.nextHandlerID
        }
        Task {
            for await event in stream { await handler(event.decoded) }
        }
        return id
    }

    /// Unregisters a handler; events already queued for it are still delivered.
    public func removeEventHandler(_ id: Int) {
        let removed = state.withLock { s -> Handler? in
            guard let i = s.handlers.firstIndex(where: { $0.id == id }) else { return nil }
            return s.handlers.remove(at: i)
        }
        removed?.continuation.finish()
    }

    /// Starts list-and-watch on a background task unless it is running already.
    public func start() {
        state.withLock { s in
            guard s.runTask == nil else { return }
            s.runTask = Task { [self] in await self.run() }
        }
    }

    /// Stops the task ``start()`` began.
    public func stop() {
        let task = state.withLock { s -> Task<Void, Never>? in
            defer { s.runTask = nil }
            return s.runTask
        }
        task?.cancel()
    }

    /// Lists and watches until the calling task is cancelled (what ``start()`` runs).
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listAndWatch() }
            if let period = options.resyncPeriod, period > .zero {
                group.addTask { await self.resyncLoop(period: period) }
            }
            await group.waitForAll()
        }
    }

    // MARK: - List and watch

    private func listAndWatch() async {
        let clock = ContinuousClock()
        var resourceVersion: String?
        var failures = 0
        while !Task.isCancelled {
            if resourceVersion == nil {
                do {
                    resourceVersion = try await relist()
                } catch {
                    if Task.isCancelled { return }
                    let delay = options.backoff.delay(afterFailures: failures)
                    failures += 1
                    logger.warn("list failed; retrying", ["error": .error(error), "retryIn": .string("\(delay.seconds)s")])
                    guard await sleep(delay) else { return }
                    continue
                }
            }
            guard let from = resourceVersion else { continue }
            let started = clock.now
            var events = 0
            do {
                let timeout = Int.random(in: options.watchTimeoutSeconds)
                let stream = try await source.watch(resourceVersion: from, timeoutSeconds: timeout)
                for try await event in stream {
                    events += 1
                    resourceVersion = apply(event) ?? resourceVersion
                    if clock.now - started >= options.healthyPeriod { failures = 0 }
                }
                if Task.isCancelled { return }
                // The server closed the watch (its timeout): watch again from where we are. A watch that
                // closes at once without events counts as a failure, so a broken server is not hammered.
                if events > 0 || clock.now - started >= .seconds(1) {
                    if clock.now - started >= options.healthyPeriod { failures = 0 }
                    continue
                }
                let delay = options.backoff.delay(afterFailures: failures)
                failures += 1
                logger.debug("watch closed at once; waiting", ["retryIn": .string("\(delay.seconds)s")])
                guard await sleep(delay) else { return }
            } catch {
                if Task.isCancelled { return }
                if ResourceExpiredError.matches(error) {
                    logger.info("resource version expired; listing again", ["resourceVersion": .string(from)])
                    resourceVersion = nil
                    continue
                }
                if clock.now - started >= options.healthyPeriod { failures = 0 }
                let delay = options.backoff.delay(afterFailures: failures)
                failures += 1
                logger.warn("watch failed; resuming", [
                    "error": .error(error), "resourceVersion": .string(resourceVersion ?? ""),
                    "retryIn": .string("\(delay.seconds)s"),
                ])
                guard await sleep(delay) else { return }
            }
        }
    }

    /// Lists every page and replaces the store, reporting the difference. Returns the list's resourceVersion.
    private func relist() async throws -> String {
        // Each page is projected and encoded as it arrives: the raw items (whole objects) of a large list, or
        // their decoded projections, are never all held.
        var fresh: [String: Store.Entry] = [:]
        var token: String?
        var listVersion = ""
        var restarts = 0
        while true {
            let page: Page
            do {
                page = try await listPage(continueToken: token)
            } catch where token != nil && restarts < 3 && ResourceExpiredError.matches(error) {
                // The continue token expired between pages: start the list again.
                logger.info("list continue token expired; listing from the start")
                fresh = [:]
                token = nil
                restarts += 1
                continue
            }
            for (key, entry) in page.entries { fresh[key] = entry }
            listVersion = page.resourceVersion
            token = page.continueToken.flatMap { $0.isEmpty ? nil : $0 }
            if token == nil { break }
        }
        let count = fresh.count
        state.withLock { s in
            for change in store.replace(with: fresh) { dispatch(change, to: s.handlers) }
            s.lastResourceVersion = listVersion
        }
        synced.trigger(reason: "listed")
        logger.debug("listed", ["count": .int(count), "resourceVersion": .string(listVersion)])
        return listVersion
    }

    /// One list page, projected and encoded for the store.
    private struct Page: Sendable {
        var entries: [(key: String, entry: Store.Entry)]
        var resourceVersion: String
        var continueToken: String?
    }

    /// Lists and projects one page, under ``InformerOptions/listLimit`` when there is one: the whole objects of
    /// the page are dropped before the limit lets another page in.
    private func listPage(continueToken: String?) async throws -> Page {
        let body: @Sendable () async throws -> Page = { [self] in
            let list = try await source.list(limit: options.pageSize, continueToken: continueToken)
            let entries = list.items.map { item -> (key: String, entry: Store.Entry) in
                let projected = projection(item)
                return (projected.objectKey, store.entry(for: projected))
            }
            return Page(entries: entries, resourceVersion: list.resourceVersion, continueToken: list.continueToken)
        }
        guard let limit = options.listLimit else { return try await body() }
        return try await limit.run(body)
    }

    /// Applies one watch event to the store and handlers; returns the new resourceVersion, if any.
    private func apply(_ event: WatchEvent) -> String? {
        state.withLock { s -> String? in
            let rv: String?
            switch event {
            case .bookmark(let version):
                rv = version
            case .added(let raw), .modified(let raw):
                let new = projection(raw)
                rv = raw.resourceVersion
                if let change = store.upsert(new) { dispatch(change, to: s.handlers) }
            case .deleted(let raw):
                rv = raw.resourceVersion
                let removed = store.remove(raw.objectKey) ?? EncodedObject(projection(raw))
                dispatch(.deleted(removed), to: s.handlers)
            }
            if let rv, !rv.isEmpty { s.lastResourceVersion = rv }
            return rv.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    private func dispatch(_ event: PendingEvent, to handlers: [Handler]) {
        for h in handlers { h.continuation.yield(event) }
    }

    // MARK: - Resync

    private func resyncLoop(period: Duration) async {
        while !Task.isCancelled {
            let jitter = Double.random(in: 0.9...1.1)
            guard await sleep(Duration.fromSeconds(period.seconds * jitter)) else { return }
            guard synced.isTriggered else { continue }
            state.withLock { s in
                for object in store.encodedObjects { dispatch(.resync(object), to: s.handlers) }
            }
        }
    }

    /// Sleeps; false when the task was cancelled.
    private func sleep(_ delay: Duration) async -> Bool {
        do {
            try await Task.sleep(for: delay)
            return true
        } catch {
            return false  // cancelled: the informer is stopping
        }
    }
}
