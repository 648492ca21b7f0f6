import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import Logging
import Metrics
import Signals

/// Records reconciles: counts per key, concurrency, and lets a test hold reconciles open.
actor ReconcileRecorder {
    private(set) var counts: [String: Int] = [:]
    private(set) var order: [String] = []
    private(set) var running: [String: Int] = [:]
    private(set) var maxRunning = 0
    private(set) var overlapsOfOneKey = 0
    private var current = 0

    func begin(_ key: String) {
        counts[key, default: 0] += 1
        order.append(key)
        running[key, default: 0] += 1
        if running[key, default: 0] > 1 { overlapsOfOneKey += 1 }
        current += 1
        maxRunning = max(maxRunning, current)
    }

    func end(_ key: String) {
        running[key, default: 1] -= 1
        current -= 1
    }

    func count(_ key: String) -> Int { counts[key] ?? 0 }
    func minCount(_ keys: String...) -> Int { keys.map { counts[$0] ?? 0 }.min() ?? 0 }
    var idle: Bool { current == 0 }
}

struct Transient: Error {}

func child(_ namespace: String, _ name: String, owner: String?, ownerKind: String = "Thing", controller: Bool = true) -> JSONValue {
    var o: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)]]
    if let owner {
        o["metadata", "ownerReferences"] = [[
            "apiVersion": "example.io/v1", "kind": .string(ownerKind), "name": .string(owner), "uid": "u1",
            "controller": .bool(controller), "blockOwnerDeletion": true,
        ]]
    }
    return o
}

let configMapsResource = ResourceDescriptor.configMaps

@Suite("Controller")
struct ControllerTests {
    @Test func reconcilesEveryPrimaryObjectAndOwnersOfChangedChildren() async throws {
        let things = FakeListWatchSource()
        let children = FakeListWatchSource()
        let roles = FakeListWatchSource()
        await things.put(thing("ns", "a"))
        await things.put(thing("ns", "b"))
        let primary = Informer(resource: thingResource, source: things, options: fastInformerOptions())
        let owned = Informer(resource: configMapsResource, source: children, options: fastInformerOptions())
        let clusterScoped = Informer(
            resource: ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false),
            source: roles, options: fastInformerOptions())
        let recorder = ReconcileRecorder()
        let stop = ShutdownSignal()
        let controller = Controller(for: primary, name: "things")
            .owns(owned)
            .owns(clusterScoped, ownerLabels: OwnerLabels(name: "example.io/owner", namespace: "example.io/owner-namespace"))
        let run = Task {
            await controller.run(reconcile: { (obj: JSONValue, _: Void) in
                await recorder.begin(obj.objectKey)
                await recorder.end(obj.objectKey)
                return .awaitChange
            }, context: (), workers: 2, until: stop)
        }
        #expect(await eventually { await recorder.minCount("ns/a", "ns/b") == 1 })

        await children.put(child("ns", "a-config", owner: "a"))
        #expect(await eventually { await recorder.count("ns/a") == 2 })
        await children.put(child("ns", "stray", owner: "b", ownerKind: "Other"))         // other owner kind
        await children.put(child("ns", "not-controller", owner: "b", controller: false)) // not the controller
        await roles.put(["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                         "metadata": ["name": "ns-a-promtail", "labels": ["example.io/owner": "a", "example.io/owner-namespace": "ns"]]])
        #expect(await eventually { await recorder.count("ns/a") == 3 })
        await children.delete("ns/a-config")
        #expect(await eventually { await recorder.count("ns/a") == 4 })
        await things.put(thing("ns", "b", spec: ["v": 2]))
        #expect(await eventually { await recorder.count("ns/b") == 2 })
        #expect(await recorder.count("ns/a") == 4)   // b's unrelated children never woke a or b
        stop.trigger()
        await run.value
    }

    @Test func ownersAreFoundByControllerReferenceOrLabels() {
        let byRef = Controller.owners(of: child("ns", "c", owner: "p"), kind: "Thing", apiVersion: "example.io/v1", namespaced: true, labels: nil)
        #expect(byRef == ["ns/p"])
        let wrongVersion = Controller.owners(of: child("ns", "c", owner: "p"), kind: "Thing", apiVersion: "example.io/v2", namespaced: true, labels: nil)
        #expect(wrongVersion.isEmpty)
        let labelled: JSONValue = ["metadata": ["name": "cr", "labels": ["owner": "p", "owner-ns": "ops"]]]
        #expect(Controller.owners(of: labelled, kind: "Thing", apiVersion: "example.io/v1", namespaced: true,
                                  labels: OwnerLabels(name: "owner", namespace: "owner-ns")) == ["ops/p"])
        #expect(Controller.owners(of: labelled, kind: "Thing", apiVersion: "example.io/v1", namespaced: true, labels: nil).isEmpty)
    }

    @Test func oneKeyIsNeverReconciledConcurrentlyWhileWorkersRunInParallel() async throws {
        let things = FakeListWatchSource()
        for i in 0..<6 { await things.put(thing("ns", "t\(i)")) }
        let primary = Informer(resource: thingResource, source: things, options: fastInformerOptions())
        let recorder = ReconcileRecorder()
        let stop = ShutdownSignal()
        let registry = MetricsRegistry()
        let run = Task {
            await Controller(for: primary, metrics: registry).run(reconcile: { (obj: JSONValue, _: Void) in
                await recorder.begin(obj.objectKey)
                try? await Task.sleep(for: .milliseconds(2))
                await recorder.end(obj.objectKey)
                return .awaitChange
            }, context: (), workers: 3, until: stop)
        }
        for round in 1...5 {
            for i in 0..<6 { await things.put(thing("ns", "t\(i)", spec: ["round": .int(round)])) }
        }
        #expect(await eventually {
            let done = await recorder.order.count >= 6
            let idle = await recorder.idle
            let depth = try? PrometheusText.parse(registry.exposition())["workqueue_depth{name=\"thing\"}"]
            return done && idle && depth == 0
        })
        stop.trigger()
        await run.value
        #expect(await recorder.overlapsOfOneKey == 0)
        #expect(await recorder.maxRunning <= 3)
        let samples = try PrometheusText.parse(registry.exposition())
        #expect(samples["controller_runtime_max_concurrent_reconciles{controller=\"thing\"}"] == 3)
        #expect(samples["controller_runtime_active_workers{controller=\"thing\"}"] == 0)
        #expect(samples["controller_runtime_reconcile_total{controller=\"thing\",result=\"success\"}"] == Double(await recorder.order.count))
    }

    @Test func errorsRetryWithBackoffUntilSuccessAndTerminalErrorsDoNot() async throws {
        let things = FakeListWatchSource()
        await things.put(thing("ns", "flaky"))
        await things.put(thing("ns", "invalid"))
        let primary = Informer(resource: thingResource, source: things, options: fastInformerOptions())
        let recorder = ReconcileRecorder()
        let stop = ShutdownSignal()
        let registry = MetricsRegistry()
        let run = Task {
            await Controller(for: primary, name: "c", metrics: registry).run(reconcile: { (obj: JSONValue, _: Void) in
                await recorder.begin(obj.objectKey)
                await recorder.end(obj.objectKey)
                if obj.name == "invalid", obj["spec", "fixed"] == nil { throw TerminalError("spec.size: must be positive; fix the spec") }
                if obj.name == "flaky", await recorder.count(obj.objectKey) < 3 { throw Transient() }
                return .awaitChange
            }, context: (), workers: 2, until: stop)
        }
        #expect(await eventually { await recorder.count("ns/flaky") == 3 })
        #expect(await recorder.count("ns/invalid") == 1)
        // A later change (not a retry) reconciles the invalid object again.
        await things.put(thing("ns", "invalid", spec: ["fixed": true]))
        #expect(await eventually { await recorder.count("ns/invalid") == 2 })
        let samples = try PrometheusText.parse(registry.exposition())
        #expect(samples["workqueue_retries_total{name=\"c\"}"] == 2)
        #expect(samples["controller_runtime_reconcile_errors_total{controller=\"c\"}"] == 3)
        #expect(samples["controller_runtime_terminal_reconcile_errors_total{controller=\"c\"}"] == 1)
        #expect(samples["controller_runtime_reconcile_total{controller=\"c\",result=\"success\"}"] == 2)
        stop.trigger()
        await run.value
    }

    @Test func requeueAfterReconcilesAgainAndACustomPolicyApplies() async throws {
        let things = FakeListWatchSource()
        await things.put(thing("ns", "periodic"))
        await things.put(thing("ns", "failing"))
        let primary = Informer(resource: thingResource, source: things, options: fastInformerOptions())
        let recorder = ReconcileRecorder()
        let stop = ShutdownSignal()
        let policy = ErrorPolicy { _, key in key == "ns/failing" ? .requeue(after: .milliseconds(5)) : .doNotRetry }
        let run = Task {
            await Controller(for: primary).run(reconcile: { (obj: JSONValue, _: Void) in
                await recorder.begin(obj.objectKey)
                await recorder.end(obj.objectKey)
                if obj.name == "failing" { throw Transient() }
                return .requeue(after: .milliseconds(5))
            }, errorPolicy: policy, context: (), until: stop)
        }
        #expect(await eventually { await recorder.minCount("ns/periodic", "ns/failing") >= 3 })
        stop.trigger()
        await run.value
    }

    @Test func shutdownFinishesInFlightReconcilesThenStopsTakingWork() async throws {
        let things = FakeListWatchSource()
        await things.put(thing("ns", "slow"))
        let primary = Informer(resource: thingResource, source: things, options: fastInformerOptions())
        let recorder = ReconcileRecorder()
        let finished = ShutdownSignal()
        let stop = ShutdownSignal()
        let run = Task {
            await Controller(for: primary).run(reconcile: { (obj: JSONValue, _: Void) in
                await recorder.begin(obj.objectKey)
                await stop.wait()                       // still running when shutdown begins
                try? await Task.sleep(for: .milliseconds(20))
                finished.trigger(reason: "done")
                await recorder.end(obj.objectKey)
                return .awaitChange
            }, context: (), until: stop)
        }
        #expect(await eventually { await recorder.count("ns/slow") == 1 })
        stop.trigger()
        await run.value
        #expect(finished.isTriggered)                   // run returned only after the reconcile finished
        await things.put(thing("ns", "late"))
        #expect(await eventually { primary.store.get("ns/late") != nil })
        #expect(await recorder.count("ns/late") == 0)   // no work after shutdown
        primary.stop()
    }

    @Test func shutdownCancelsReconcilesThatOutliveTheTimeout() async throws {
        let things = FakeListWatchSource()
        await things.put(thing("ns", "stuck"))
        let primary = Informer(resource: thingResource, source: things, options: fastInformerOptions())
        let sawCancellation = ShutdownSignal()
        let started = ShutdownSignal()
        let stop = ShutdownSignal()
        let run = Task {
            await Controller(for: primary).shutdownTimeout(.milliseconds(20)).run(reconcile: { (_: JSONValue, _: Void) in
                started.trigger()
                do { try await Task.sleep(for: .seconds(3600)) } catch { sawCancellation.trigger() }
                return .awaitChange
            }, context: (), until: stop)
        }
        await started.wait()
        stop.trigger()
        await run.value
        #expect(sawCancellation.isTriggered)
        primary.stop()
    }

    @Test func reconcileLogLinesCarryTheObjectAndReconcileID() async throws {
        let things = FakeListWatchSource()
        await things.put(thing("ops", "prod"))
        let primary = Informer(resource: thingResource, source: things, options: fastInformerOptions())
        let sink = LogSink.memory()
        let stop = ShutdownSignal()
        let run = Task {
            await Controller(for: primary, logger: Logger(name: "op", sink: sink)).run(reconcile: { (_: JSONValue, _: Void) in
                Reconciliation.logger.info("converging")
                return .awaitChange
            }, context: (), until: stop)
        }
        #expect(await eventually { sink.lines.contains { $0.contains("converging") } })
        stop.trigger()
        await run.value
        let line = try JSONValue(json: try #require(sink.lines.first { $0.contains("converging") }))
        #expect(line["namespace"] == "ops")
        #expect(line["name"] == "prod")
        #expect(line["controller"] == "thing")
        #expect(line["logger"] == "op.controller")
        #expect(line["reconcileID"]?.stringValue?.count == 36)
    }

    @Test func informersCanBeStartedAheadForReadiness() async {
        let things = FakeListWatchSource()
        let children = FakeListWatchSource()
        let controller = Controller(for: Informer(resource: thingResource, source: things, options: fastInformerOptions()))
            .owns(Informer(resource: configMapsResource, source: children, options: fastInformerOptions()))
        #expect(controller.informers.count == 2)
        #expect(controller.hasSynced == false)
        controller.startInformers()
        #expect(await eventually { controller.hasSynced })
        controller.stopInformers()
    }

    @Test func stoppingBeforeTheCachesSyncReturns() async {
        let never = Informer(resource: thingResource, source: NeverListing(), options: fastInformerOptions())
        let stop = ShutdownSignal()
        stop.trigger()
        await Controller(for: never).run(reconcile: { (_: JSONValue, _: Void) in .awaitChange }, context: (), until: stop)
        #expect(never.hasSynced == false)
        never.stop()
    }
}

/// A source whose list always fails.
struct NeverListing: ListWatchSource {
    func list(limit: Int, continueToken: String?) async throws -> ObjectList { throw InjectedDisconnect() }
    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        throw InjectedDisconnect()
    }
}
