import Foundation
import HTTPServer
import KubeClient
import KubeCore
import KubeRuntime
import Locking
import Metrics
import Signals

/// The whole operator: informers for IncidentPlatforms and every owned kind, the controller with the
/// ``PlatformReconciler``, optional leader election, `/metrics`, `/healthz` and `/readyz`.
///
/// ```swift
/// let op = PlatformOperator(client: client, configuration: config)
/// try await op.run(until: SignalHandling.shutdownSignal())
/// ```
///
/// Guarantees: informers start before the election, so a standby replica has warm caches and reports ready;
/// only the leader reconciles, and it stops at once when it loses the lease; on shutdown no new reconcile
/// starts, in-flight ones finish (bounded by ``OperatorConfiguration/shutdownTimeout``), the lease is
/// released and `run` returns.
public final class PlatformOperator: Sendable {
    /// The configuration.
    public let configuration: OperatorConfiguration
    /// The metrics served at `/metrics` (plus the client's `rest_client_requests_total`).
    public let registry = MetricsRegistry()
    let client: KubeClient
    let platforms: Informer
    let children: [String: Informer]
    let hashes = AppliedHashes()
    private let ports = Locked<(metrics: Int, health: Int)>((0, 0))

    /// An operator talking to the API through `client`.
    public init(client: KubeClient, configuration: OperatorConfiguration) {
        self.client = client
        self.configuration = configuration
        ProcessMetrics.register(in: registry)
        RestClientMetrics.register(client.metrics, in: registry)
        let log = configuration.logger
        let selector = "\(PruneSet.managedByLabel)=\(PruneSet.managedByValue)"
        // At most two informers list at a time: a restarted operator over 1000 platforms otherwise holds up to
        // eight pages of whole decoded objects at once (176 MiB instead of about 100 MiB, BENCHMARKS.md).
        var options = configuration.informerOptions
        if options.listLimit == nil { options.listLimit = ConcurrencyLimit(2) }
        platforms = Informer(
            resource: .incidentPlatforms,
            source: KubeListWatchSource(client: client, resource: .incidentPlatforms, namespace: configuration.namespace),
            projection: .withoutManagedFields, index: { $0.name }, options: options, logger: log)
        var children: [String: Informer] = [:]
        // The children's informers do not resync: the platforms' resync already reconciles every platform against
        // the children's caches, and a resync of ~53 children per platform would only queue each platform ~53 times more.
        var childOptions = options
        childOptions.resyncPeriod = nil
        // Pages of 100 children: a page is held decoded (whole objects, managedFields included) until it is projected.
        childOptions.pageSize = min(childOptions.pageSize, 100)
        for kind in OperatorPermissions.ownedKinds {
            children[kind.kind] = Informer(
                resource: kind,
                source: KubeListWatchSource(client: client, resource: kind, namespace: configuration.namespace, labelSelector: selector),
                projection: ChildProjection.projection, index: PlatformContext.ownerIndex, options: childOptions,
                logger: log)
        }
        self.children = children
    }

    /// Whether every informer has synced (what `/readyz` answers).
    public var isReady: Bool { platforms.hasSynced && children.values.allSatisfy(\.hasSynced) }

    /// The bound port of `/metrics` (0 before ``run(until:)`` started it or when it is off).
    public var metricsPort: Int { ports.withLock { $0.metrics } }
    /// The bound port of `/healthz` and `/readyz`.
    public var healthPort: Int { ports.withLock { $0.health } }

    /// The `/metrics` body (the registry includes the client's `rest_client_requests_total`).
    public func metricsExposition() -> String { registry.exposition() }

    /// Runs until `stop` triggers (see the type's guarantees). Throws when an endpoint cannot listen.
    public func run(until stop: ShutdownSignal) async throws {
        let log = configuration.logger
        let servers = try startServers()
        let informers = [platforms] + OperatorPermissions.ownedKinds.compactMap { children[$0.kind] }
        for informer in informers { informer.start() }
        let trimmer = Task { await HeapTrimmer.run() }
        defer { trimmer.cancel() }

        let context = PlatformContext(client: client, children: children, hashes: hashes,
                                      events: EventRecorder(client: client, component: PlatformContext.fieldManager,
                                                            instance: configuration.identity, logger: configuration.logger))
        let controller = makeController()
        let workers = configuration.workers
        let reconcile: @Sendable (JSONValue, PlatformContext) async throws -> Action = { try await PlatformReconciler.reconcile($0, $1) }

        if configuration.leaderElection {
            var election = LeaderElectionConfig(name: configuration.leaderElectionID, identity: configuration.identity)
            election.leaseDuration = configuration.leaseDuration
            election.renewDeadline = configuration.renewDeadline
            election.retryPeriod = configuration.retryPeriod
            let store = KubeLeaseStore(client: client, name: configuration.leaderElectionID,
                                             namespace: configuration.leaderElectionNamespace)
            let elector = LeaderElector(config: election, store: store, logger: log, metrics: registry)
            log.info("Waiting to lead", ["lease": .string("\(configuration.leaderElectionNamespace)/\(configuration.leaderElectionID)"),
                                         "identity": .string(configuration.identity)])
            await elector.run(until: stop) { leading in
                await controller.run(reconcile: reconcile, context: context, workers: workers, until: leading)
            }
        } else {
            await controller.run(reconcile: reconcile, context: context, workers: workers, until: stop)
        }
        for informer in informers { informer.stop() }
        await Self.stop(servers)
        log.info("Operator stopped", ["reason": .string(stop.reason)])
    }

    /// Stops the endpoints off the cooperative pool: `HTTPServer.stop()` blocks while requests finish.
    private static func stop(_ servers: [HTTPServer]) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                for s in servers { s.stop() }
                done.resume()
            }
        }
    }

    /// The controller: platforms, and every owned kind mapped back to its platform.
    private func makeController() -> Controller {
        var controller = Controller(for: platforms, name: "incidentplatform", logger: configuration.logger, metrics: registry)
            .shutdownTimeout(configuration.shutdownTimeout)
        let platformStore = platforms.store
        for kind in OperatorPermissions.ownedKinds {
            guard let informer = children[kind.kind] else { continue }
            // A cluster-scoped child's candidates are the platforms named like its instance label (the platforms'
            // store is indexed by name), not a sorted copy of every platform for each event.
            controller = controller.watches(informer) { child in
                ChildOwners.keys(of: child, platforms: { platformStore.list(indexedAs: child.labels[PruneSet.instanceLabel] ?? "") })
            }
        }
        return controller
    }

    /// Starts `/metrics` and the probes on their addresses (each may be off).
    private func startServers() throws -> [HTTPServer] {
        var servers: [HTTPServer] = []
        do {
            if let address = try BindAddress.parse(configuration.metricsBindAddress, flag: "metrics-bind-address") {
                let server = HTTPServer(options: HTTPServerOptions(host: address.host, port: address.port)) { [self] request in
                    guard request.path == "/metrics" else { return .text(404, "not found; try /metrics\n") }
                    return .text(200, self.metricsExposition(), contentType: MetricsRegistry.contentType)
                }
                let port = try server.start()
                servers.append(server)
                ports.withLock { $0.metrics = port }
                configuration.logger.info("Serving metrics", ["address": .string("\(address.host):\(port)")])
            }
            if let address = try BindAddress.parse(configuration.healthProbeBindAddress, flag: "health-probe-bind-address") {
                let server = HTTPServer(options: HTTPServerOptions(host: address.host, port: address.port)) { [self] request in
                    switch request.path {
                    case "/healthz": return .text(200, "ok\n")
                    case "/readyz": return self.isReady ? .text(200, "ok\n") : .text(503, "informer caches not synced yet\n")
                    default: return .text(404, "not found; try /healthz or /readyz\n")
                    }
                }
                let port = try server.start()
                servers.append(server)
                ports.withLock { $0.health = port }
                configuration.logger.info("Serving health probes", ["address": .string("\(address.host):\(port)")])
            }
        } catch {
            for s in servers { s.stop() }
            throw error
        }
        return servers
    }
}
