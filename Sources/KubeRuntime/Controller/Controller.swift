import Foundation
import KubeCore
import Logging
import Metrics
import Signals

/// A controller declared like kube-rs's: the primary kind, the kinds it owns, then `run`.
///
/// ```swift
/// let controller = Controller(for: platforms, logger: log, metrics: registry)
///     .owns(deployments)
///     .owns(clusterRoles, ownerLabels: OwnerLabels(name: "incidentops.io/owner", namespace: "incidentops.io/owner-namespace"))
/// await controller.run(reconcile: reconcile, errorPolicy: .default, context: ctx, workers: 4, until: stop)
/// ```
///
/// Guarantees:
/// - Level-based: every event on a primary object, and every event on an owned object whose controller
///   owner reference (`controller: true`, matching kind and apiVersion) or owner labels name a primary
///   object, queues that primary object's key; the reconciler reads the current object from the cache.
/// - One object is never reconciled twice at the same time; up to `workers` different objects are.
/// - Errors are retried per the ``ErrorPolicy`` (per-key exponential backoff by default, reset on success);
///   a ``TerminalError`` is not retried until the object changes.
/// - When `until` triggers, no new reconcile starts, in-flight reconciles get
///   ``shutdownTimeout(_:)`` (30 s by default) to finish and are then cancelled, and `run` returns.
///
/// Caveats:
/// - An object deleted from the cache is not reconciled (use a finalizer to clean up).
/// - Informers are started by `run` if they are not running and keep running after it returns
///   (so a replica that loses and regains the lease keeps its caches); stop them with ``Informer/stop()``.
public struct Controller: Sendable {
    /// The controller's name (the `controller` label of metrics and logs); the primary kind in lower case by default.
    public let name: String
    private let primary: Informer
    private var related: [(informer: Informer, mapper: @Sendable (JSONValue) -> [String])] = []
    private let logger: Logger
    private let metrics: MetricsRegistry?
    private var drainTimeout: Duration = .seconds(30)

    /// A controller of the objects `primary` watches.
    public init(for primary: Informer, name: String? = nil, logger: Logger = .disabled, metrics: MetricsRegistry? = nil) {
        self.primary = primary
        self.name = name ?? primary.resource.kind.lowercased()
        self.logger = logger.named("controller").with(["controller": .string(self.name)])
        self.metrics = metrics
    }

    /// Reconciles the owner when an object of `informer` changes: the owner is named by its controller
    /// owner reference, or, when `ownerLabels` is given and there is no such reference, by those labels.
    public func owns(_ informer: Informer, ownerLabels: OwnerLabels? = nil) -> Controller {
        let kind = primary.resource.kind
        let apiVersion = primary.resource.apiVersion
        let namespaced = primary.resource.namespaced
        return watches(informer) { child in
            Self.owners(of: child, kind: kind, apiVersion: apiVersion, namespaced: namespaced, labels: ownerLabels)
        }
    }

    /// Reconciles the primary objects whose keys `mapper` returns when an object of `informer` changes.
    public func watches(_ informer: Informer, mapper: @escaping @Sendable (JSONValue) -> [String]) -> Controller {
        var c = self
        c.related.append((informer, mapper))
        return c
    }

    /// How long shutdown waits for in-flight reconciles before cancelling them (default 30 s).
    public func shutdownTimeout(_ timeout: Duration) -> Controller {
        var c = self
        c.drainTimeout = timeout
        return c
    }

    /// The primary informer and every owned or watched one.
    public var informers: [Informer] { [primary] + related.map(\.informer) }

    /// Starts every informer (idempotent). Call it before leader election so that a replica that does
    /// not lead keeps warm caches and can report ready.
    public func startInformers() {
        for informer in informers { informer.start() }
    }

    /// Stops every informer (on the way out of the process).
    public func stopInformers() {
        for informer in informers { informer.stop() }
    }

    /// Whether every informer has completed its first list (what `/readyz` reports).
    public var hasSynced: Bool { informers.allSatisfy(\.hasSynced) }

    /// The keys of the primary objects that own `child`.
    static func owners(of child: JSONValue, kind: String, apiVersion: String, namespaced: Bool, labels: OwnerLabels?) -> [String] {
        let childNamespace = child.namespace
        for ref in child["metadata", "ownerReferences"]?.arrayValue ?? [] {
            guard ref["controller"]?.boolValue == true, ref["kind"]?.stringValue == kind,
                  ref["apiVersion"]?.stringValue == apiVersion, let owner = ref["name"]?.stringValue
            else { continue }
            return [Store.key(namespace: namespaced ? childNamespace : nil, name: owner)]
        }
        if let labels, let owner = child.labels[labels.name], !owner.isEmpty {
            let ns = labels.namespace.flatMap { child.labels[$0] } ?? childNamespace
            return [Store.key(namespace: namespaced ? ns : nil, name: owner)]
        }
        return []
    }

    /// Runs the controller until `stop` triggers: starts the informers, waits for their caches, then
    /// reconciles with `workers` concurrent workers. See the type's guarantees.
    public func run<Context: Sendable>(
        reconcile: @escaping @Sendable (JSONValue, Context) async throws -> Action,
        errorPolicy: ErrorPolicy = .default,
        context: Context,
        workers: Int = 4,
        until stop: ShutdownSignal
    ) async {
        let workers = max(1, workers)
        let queueMetrics = metrics.map { PrometheusWorkQueueMetrics(registry: $0, name: name) }
        let queue = WorkQueue(name: name, metrics: queueMetrics)
        let controllerMetrics = metrics.map { ControllerMetrics(registry: $0, controller: name) }
        controllerMetrics?.setMaxConcurrent(workers)

        var registrations: [(Informer, Int)] = []
        registrations.append((primary, primary.addEventHandler { event in
            await Self.enqueue(event, keys: { [$0.objectKey] }, into: queue)
        }))
        for (informer, mapper) in related {
            registrations.append((informer, informer.addEventHandler { event in
                await Self.enqueue(event, keys: mapper, into: queue)
            }))
        }
        defer { for (informer, id) in registrations { informer.removeEventHandler(id) } }

        startInformers()
        logger.info("Starting controller", ["workers": .int(workers)])
        guard await Self.waitForCaches(informers, or: stop) else {
            logger.info("Stopped before the caches synced")
            await queue.shutDown()
            return
        }
        logger.info("Caches synced; starting workers", ["workers": .int(workers)])

        let worker = ControllerWorker(
            primary: primary, queue: queue, reconcile: reconcile, errorPolicy: errorPolicy, context: context,
            logger: logger, metrics: controllerMetrics)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers { group.addTask { await worker.loop() } }
            await stop.wait()
            logger.info("Stopping: no new reconciles; waiting for in-flight ones", ["reason": .string(stop.reason)])
            await queue.shutDown()
            if await !queue.waitUntilIdle(timeout: drainTimeout) {
                logger.warn("In-flight reconciles did not finish in time; cancelling them",
                            ["timeout": .string("\(drainTimeout.seconds)s")])
                group.cancelAll()
            }
            await group.waitForAll()
        }
        logger.info("Controller stopped")
    }

    private static func enqueue(_ event: InformerEvent, keys: (JSONValue) -> [String], into queue: WorkQueue) async {
        var all = keys(event.object)
        if case .updated(let old, _) = event {
            for k in keys(old) where !all.contains(k) { all.append(k) }
        }
        for key in all where !key.isEmpty { await queue.add(key) }
    }

    /// Waits until every informer synced; false if `stop` triggered first.
    private static func waitForCaches(_ informers: [Informer], or stop: ShutdownSignal) async -> Bool {
        let synced = ShutdownSignal()
        let waiting = Task {
            for informer in informers { await informer.waitUntilSynced() }
            if !Task.isCancelled { synced.trigger(reason: "synced") }
        }
        await ShutdownSignal.any(synced, stop).wait()
        waiting.cancel()
        return synced.isTriggered && !stop.isTriggered
    }
}
