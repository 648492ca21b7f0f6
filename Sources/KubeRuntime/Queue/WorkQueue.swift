/// The queue between watch events and reconciles, like client-go's rate-limited work queue.
///
/// Guarantees:
/// - A key is queued at most once, however often it is added before a worker takes it.
/// - A key is never handed to two workers at the same time: a key added while a worker holds it is
///   handed out again only after that worker calls ``done(_:)``.
/// - ``addRateLimited(_:)`` delays a key by the larger of its own exponential backoff (5 ms doubling to
///   1000 s by default) and the overall token bucket (10/s, burst 100); ``forget(_:)`` resets the backoff.
/// - After ``shutDown()`` no key is handed out (``next()`` returns `nil`); workers finish what they hold.
///
/// ```swift
/// while let key = await queue.next() {
///     do { try await work(key); await queue.forget(key) } catch { await queue.addRateLimited(key) }
///     await queue.done(key)
/// }
/// ```
public actor WorkQueue {
    /// The queue's name (the `name` label of its metrics).
    public nonisolated let name: String
    private let backoff: ExponentialBackoff
    private var bucket: TokenBucket
    private let metrics: (any WorkQueueMetrics)?
    private let clock = ContinuousClock()

    private var queue: [String] = []
    private var queueHead = 0
    private var dirty: Set<String> = []
    private var processing: [String: ContinuousClock.Instant] = [:]
    private var addedAt: [String: ContinuousClock.Instant] = [:]
    private var failures: [String: Int] = [:]
    private var delayed: [String: (deadline: ContinuousClock.Instant, token: Int, task: Task<Void, Never>)] = [:]
    private var waiters: [(id: Int, continuation: CheckedContinuation<String?, Never>)] = []
    private var idleWaiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID = 0
    private var shuttingDown = false

    /// A queue named `name`, with per-key `backoff` and an overall token bucket of `rate` per second
    /// (at most `burst` at once) for rate-limited re-adds.
    public init(
        name: String, backoff: ExponentialBackoff = .workQueue, rate: Double = 10, burst: Int = 100,
        metrics: (any WorkQueueMetrics)? = nil
    ) {
        self.name = name
        self.backoff = backoff
        self.bucket = TokenBucket(rate: rate, burst: burst)
        self.metrics = metrics
    }

    /// The number of keys waiting to be handed out.
    public var depth: Int { queue.count - queueHead }
    /// The number of keys workers hold.
    public var inFlight: Int { processing.count }
    /// Whether ``shutDown()`` was called.
    public var isShuttingDown: Bool { shuttingDown }
    /// The consecutive failures of `key` since its last ``forget(_:)``.
    public func failures(of key: String) -> Int { failures[key] ?? 0 }
    /// Whether `key` is scheduled by a delayed or rate-limited add that has not fired yet.
    public func isScheduled(_ key: String) -> Bool { delayed[key] != nil }

    /// Adds `key` now. A key already waiting is not added twice; a key a worker holds is queued again
    /// once the worker is done.
    public func add(_ key: String) {
        guard !shuttingDown, !dirty.contains(key) else { return }
        dirty.insert(key)
        metrics?.added()
        if processing[key] != nil { return }
        enqueue(key)
    }

    /// Adds `key` after `delay` (a reconcile's `requeue(after:)`). When the key is already scheduled
    /// earlier, the earlier time wins.
    public func add(_ key: String, after delay: Duration) {
        guard !shuttingDown else { return }
        guard delay > .zero else { add(key); return }
        let deadline = clock.now.advanced(by: delay)
        if let existing = delayed[key] {
            if existing.deadline <= deadline { return }
            existing.task.cancel()
        }
        nextID += 1
        let token = nextID
        let task = Task { [weak self] in
            do { try await Task.sleep(for: delay) } catch { return }  // cancelled: superseded or shut down
            await self?.fireDelayed(key, token: token)
        }
        delayed[key] = (deadline, token, task)
    }

    /// Adds `key` after its backoff: the larger of the per-key exponential delay and the token bucket's wait.
    public func addRateLimited(_ key: String) {
        guard !shuttingDown else { return }
        let n = failures[key] ?? 0
        failures[key] = n + 1
        metrics?.retried()
        let wait = max(backoff.delay(afterFailures: n), bucket.reserve(at: clock.now))
        add(key, after: wait)
    }

    /// Resets the backoff of `key` (after a successful reconcile).
    public func forget(_ key: String) {
        failures[key] = nil
    }

    /// The next key to work on, waiting until there is one; `nil` once the queue is shut down or the
    /// calling task is cancelled. Call ``done(_:)`` with the key when finished.
    public func next() async -> String? {
        if let key = handOut() { return key }
        if shuttingDown || Task.isCancelled { return nil }
        nextID += 1
        let id = nextID
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
                waiters.append((id, c))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Marks `key` as finished; if it was added meanwhile it is queued again.
    public func done(_ key: String) {
        guard let started = processing.removeValue(forKey: key) else { return }
        metrics?.worked(seconds: (clock.now - started).seconds)
        if dirty.contains(key), !shuttingDown { enqueue(key) }
        if processing.isEmpty { resumeIdleWaiters(true) }
    }

    /// Stops handing out keys: waiting and future ``next()`` calls return `nil`, adds are ignored and
    /// delayed adds are cancelled. Keys workers hold stay in flight until ``done(_:)``.
    public func shutDown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        for (_, entry) in delayed { entry.task.cancel() }
        delayed = [:]
        let ws = waiters
        waiters = []
        for w in ws { w.continuation.resume(returning: nil) }
    }

    /// Waits until no key is in flight, at most `timeout`; `true` when the workers finished in time.
    public func waitUntilIdle(timeout: Duration) async -> Bool {
        if processing.isEmpty { return true }
        nextID += 1
        let id = nextID
        let timer = Task { [weak self] in
            do { try await Task.sleep(for: timeout) } catch { return }  // cancelled: the queue went idle first
            await self?.timeOutIdleWaiter(id)
        }
        let idle = await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            idleWaiters.append((id, c))
        }
        timer.cancel()
        return idle
    }

    // MARK: - Internals

    private func enqueue(_ key: String) {
        queue.append(key)
        addedAt[key] = clock.now
        if let w = waiters.first {
            waiters.removeFirst()
            w.continuation.resume(returning: handOut())
        } else {
            metrics?.depthChanged(to: depth)
        }
    }

    private func handOut() -> String? {
        guard !shuttingDown, queueHead < queue.count else { return nil }
        let key = queue[queueHead]
        queueHead += 1
        if queueHead > 64, queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        dirty.remove(key)
        let now = clock.now
        processing[key] = now
        if let added = addedAt.removeValue(forKey: key) { metrics?.queued(seconds: (now - added).seconds) }
        metrics?.depthChanged(to: depth)
        return key
    }

    private func fireDelayed(_ key: String, token: Int) {
        guard let entry = delayed[key], entry.token == token else { return }
        delayed[key] = nil
        add(key)
    }

    private func cancelWaiter(_ id: Int) {
        guard let i = waiters.firstIndex(where: { $0.id == id }) else { return }
        let w = waiters.remove(at: i)
        w.continuation.resume(returning: nil)
    }

    private func timeOutIdleWaiter(_ id: Int) {
        guard let i = idleWaiters.firstIndex(where: { $0.id == id }) else { return }
        let w = idleWaiters.remove(at: i)
        w.continuation.resume(returning: false)
    }

    private func resumeIdleWaiters(_ value: Bool) {
        let ws = idleWaiters
        idleWaiters = []
        for w in ws { w.continuation.resume(returning: value) }
    }
}
