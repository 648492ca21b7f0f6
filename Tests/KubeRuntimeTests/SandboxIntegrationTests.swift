import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import Testing
@testable import KubeRuntime
import Metrics
import Signals

/// The runtime against the sandbox API server through the real client (libcurl, HTTP on 127.0.0.1).
@Suite("Runtime on the sandbox", .serialized)
struct SandboxIntegrationTests {
    private static func sandbox() throws -> (SandboxServer, KubeClient) { try startTestSandbox() }

    private static func configMap(_ name: String, _ data: [String: String] = [:], owner: JSONValue? = nil) -> JSONValue {
        var o: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": ["name": .string(name), "namespace": "default", "labels": ["test": "runtime"]],
                            "data": .object(data.mapValues { .string($0) })]
        if let owner { o["metadata", "ownerReferences"] = [owner] }
        return o
    }

    @Test func theInformerLosesNothingAcrossClosedWatchesAndCompaction() async throws {
        let (sandbox, client) = try Self.sandbox()
        defer { sandbox.stop() }
        _ = try await client.create(.configMaps, Self.configMap("a"))
        _ = try await client.create(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "unlabelled", "namespace": "default"]])
        let source = CountingSource(KubeListWatchSource(client: client, resource: .configMaps, namespace: "default", labelSelector: "test=runtime"))
        let informer = Informer(resource: .configMaps, source: source, options: fastInformerOptions(pageSize: 1))
        informer.start()
        defer { informer.stop() }
        await informer.waitUntilSynced()
        #expect(informer.store.keys == ["default/a"])
        #expect(source.lists == 1)

        _ = try await client.create(.configMaps, Self.configMap("b"))
        #expect(await eventually { informer.store.get("default/b") != nil })

        sandbox.closeWatches()                                   // a disconnect
        _ = try await client.create(.configMaps, Self.configMap("c"))
        #expect(await eventually { informer.store.get("default/c") != nil })

        source.blockWatches(true)                                // an outage: the connection drops, watches fail
        source.disconnect()
        #expect(await eventually { source.refusedWatches > 0 })  // the informer is trying to watch again
        _ = try await client.delete(.configMaps, name: "a", namespace: "default")
        _ = try await client.create(.configMaps, Self.configMap("d"))
        sandbox.compactHistory()                                 // the outage's events are gone: 410 on resume
        source.blockWatches(false)
        #expect(await eventually { informer.store.keys == ["default/b", "default/c", "default/d"] })
        #expect(source.lists >= 2)                               // relisted after the 410
        #expect(informer.store.get("default/unlabelled") == nil)
    }

    @Test func theInformerConvergesUnderPeriodicWatchClosesCompactionsAndReadErrors() async throws {
        let (sandbox, client) = try startTestSandbox { options in
            options.faults.watchCloseInterval = 0.05
            options.faults.compactInterval = 0.13
            options.faults.readErrorRate = 0.2
        }
        defer { sandbox.stop() }
        let source = KubeListWatchSource(client: client, resource: .configMaps, namespace: "default", labelSelector: "test=runtime")
        let informer = Informer(resource: .configMaps, source: source, options: fastInformerOptions(pageSize: 7))
        informer.start()
        defer { informer.stop() }
        var expected: [String: String] = [:]
        for i in 0..<40 {
            _ = try await client.create(.configMaps, Self.configMap("cm\(i)", ["v": "0"]))
            expected["default/cm\(i)"] = "0"
            if i % 4 == 3 {
                _ = try await client.delete(.configMaps, name: "cm\(i - 1)", namespace: "default")
                expected["default/cm\(i - 1)"] = nil
            }
            if i % 5 == 4 {
                _ = try await client.patch(.configMaps, name: "cm\(i)", namespace: "default", .merge(["data": ["v": "1"]]))
                expected["default/cm\(i)"] = "1"
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let want = expected
        #expect(await eventually(seconds: 20) {
            informer.store.keys == want.keys.sorted()
                && want.allSatisfy { informer.store.get($0.key)?["data", "v"]?.stringValue == $0.value }
        })
    }

    @Test func twoElectorsShareOneLeaseAndTheReleaseHandsOver() async throws {
        let (sandbox, client) = try Self.sandbox()
        defer { sandbox.stop() }
        let store = KubeLeaseStore(client: client, name: "incident-operator", namespace: "default")
        // One-hour leases: b can only lead this soon because a releases the lease.
        let a = LeaderElector(config: fastLeaderConfig("a", lease: .seconds(3600)), store: store)
        let b = LeaderElector(config: fastLeaderConfig("b", lease: .seconds(3600)), store: store)
        let logA = LeadershipLog(), logB = LeadershipLog()
        let stopA = ShutdownSignal(), stopB = ShutdownSignal()
        let runA = campaign(a, logA, until: stopA)
        #expect(await eventually { await logA.started == 1 })
        let runB = campaign(b, logB, until: stopB)
        let lease = try await client.get(.leases, name: "incident-operator", namespace: "default")
        #expect(lease["spec", "holderIdentity"] == "a")
        #expect(lease["spec", "leaseDurationSeconds"] == 3600)
        #expect(lease["spec", "renewTime"]?.stringValue.flatMap(LeaseRecord.parseMicroTime) != nil)
        try await Task.sleep(for: .milliseconds(100))               // b tries several times meanwhile
        #expect(await logB.started == 0)
        stopA.trigger()
        await runA.value
        #expect(await eventually { await logB.started == 1 })
        let taken = try await client.get(.leases, name: "incident-operator", namespace: "default")
        #expect(taken["spec", "holderIdentity"] == "b")
        #expect(taken["spec", "leaseTransitions"] == 1)
        stopB.trigger()
        await runB.value
        let released = try await client.get(.leases, name: "incident-operator", namespace: "default")
        #expect(released["spec", "holderIdentity"] == "")
        #expect(released["spec", "leaseDurationSeconds"] == 1)
    }

    @Test func onlyTheLeaderReconcilesAndTheOtherReplicaTakesOverOnShutdown() async throws {
        let (sandbox, client) = try Self.sandbox()
        defer { sandbox.stop() }
        _ = try await client.create(.configMaps, Self.configMap("platform"))
        actor Reconciled {
            var by: [String] = []
            func add(_ id: String) { by.append(id) }
        }
        let reconciled = Reconciled()
        /// One operator process: warm informers, a leader elector, a controller that runs while leading.
        func replica(_ identity: String, until stop: ShutdownSignal) -> (Task<Void, Never>, Controller) {
            let informer = Informer(resource: .configMaps, source: KubeListWatchSource(
                client: client, resource: .configMaps, namespace: "default", labelSelector: "test=runtime"), options: fastInformerOptions())
            let controller = Controller(for: informer, name: "platforms")
            controller.startInformers()
            let elector = LeaderElector(config: fastLeaderConfig(identity, lease: .seconds(3600)),
                                        store: KubeLeaseStore(client: client, name: "operator", namespace: "default"))
            let task = Task {
                await elector.run(until: stop) { leading in
                    await controller.run(reconcile: { (_: JSONValue, id: String) in
                        await reconciled.add(id)
                        return .awaitChange
                    }, context: identity, workers: 2, until: leading)
                }
                controller.stopInformers()
            }
            return (task, controller)
        }
        let stopA = ShutdownSignal(), stopB = ShutdownSignal()
        let (a, controllerA) = replica("a", until: stopA)
        #expect(await eventually { await reconciled.by == ["a"] })
        let (b, controllerB) = replica("b", until: stopB)
        #expect(await eventually { controllerB.hasSynced })       // ready although it does not lead
        #expect(controllerA.hasSynced)
        _ = try await client.patch(.configMaps, name: "platform", namespace: "default", .merge(["data": ["v": "2"]]))
        #expect(await eventually { await reconciled.by == ["a", "a"] })
        stopA.trigger(reason: "SIGTERM")
        await a.value
        #expect(await eventually { await reconciled.by == ["a", "a", "b"] })   // b leads and reconciles everything
        stopB.trigger()
        await b.value
    }

    @Test func aControllerReconcilesOwnersOfChangedChildren() async throws {
        let (sandbox, client) = try Self.sandbox()
        defer { sandbox.stop() }
        let parent = try await client.create(.configMaps, Self.configMap("parent"))
        let owner: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "name": "parent", "uid": parent.uid.map(JSONValue.string) ?? "", "controller": true]
        let primary = Informer(resource: .configMaps, source: KubeListWatchSource(
            client: client, resource: .configMaps, namespace: "default", labelSelector: "test=runtime"), options: fastInformerOptions())
        let secrets = Informer(resource: .secrets, source: KubeListWatchSource(client: client, resource: .secrets, namespace: "default"),
                               projection: .summary(keeping: [], hashing: [["data"]]), options: fastInformerOptions())
        let recorder = ReconcileRecorder()
        let stop = ShutdownSignal()
        let registry = MetricsRegistry()
        let run = Task {
            await Controller(for: primary, name: "parents", metrics: registry).owns(secrets).run(reconcile: { (obj: JSONValue, _: Void) in
                await recorder.begin(obj.objectKey)
                await recorder.end(obj.objectKey)
                return .awaitChange
            }, context: (), workers: 2, until: stop)
        }
        #expect(await eventually { await recorder.count("default/parent") == 1 })
        var secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "child", "namespace": "default"], "stringData": ["password": "x"]]
        secret["metadata", "ownerReferences"] = [owner]
        _ = try await client.create(.secrets, secret)
        #expect(await eventually { await recorder.count("default/parent") == 2 })
        let cached = try #require(secrets.store.get("default/child"))
        #expect(cached["data"] == nil)                              // the cache keeps a hash, not the secret
        #expect(cached[ObjectProjection.contentHashKey] != nil)
        stop.trigger()
        await run.value
        primary.stop()
        secrets.stop()
        let samples = try PrometheusText.parse(registry.exposition())
        #expect(samples["controller_runtime_reconcile_total{controller=\"parents\",result=\"success\"}"] == 2)
    }
}

/// Counts the list calls of a source, and can drop its open watches and refuse new ones (an outage).
final class CountingSource: ListWatchSource, @unchecked Sendable {
    // @unchecked: the mutable state is guarded by `lock`; `inner` is immutable and Sendable.
    private let inner: any ListWatchSource
    private let lock = NSLock()
    private var count = 0
    private var blocked = false
    private var refused = 0
    private var open: [Int: AsyncThrowingStream<WatchEvent, any Error>.Continuation] = [:]
    private var nextID = 0

    init(_ inner: any ListWatchSource) { self.inner = inner }

    var lists: Int { lock.withLock { count } }
    var refusedWatches: Int { lock.withLock { refused } }

    func blockWatches(_ on: Bool) { lock.withLock { blocked = on } }

    /// Ends every open watch with a transport error.
    func disconnect() {
        let all = lock.withLock { () -> [AsyncThrowingStream<WatchEvent, any Error>.Continuation] in
            defer { open = [:] }
            return Array(open.values)
        }
        for c in all { c.finish(throwing: InjectedDisconnect()) }
    }

    func list(limit: Int, continueToken: String?) async throws -> ObjectList {
        lock.withLock { count += 1 }
        return try await inner.list(limit: limit, continueToken: continueToken)
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let upstream = try await inner.watch(resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds)
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        // Checking the block and registering the stream under one lock: a watch is either refused or
        // ended by the next disconnect(), never missed by both.
        let id = lock.withLock { () -> Int? in
            if blocked {
                refused += 1
                return nil
            }
            nextID += 1
            open[nextID] = continuation
            return nextID
        }
        guard let id else { throw InjectedDisconnect() }
        let pump = Task {
            do {
                for try await event in upstream { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { [weak self] _ in
            pump.cancel()
            self?.lock.withLock { _ = self?.open.removeValue(forKey: id) }
        }
        return stream
    }
}
