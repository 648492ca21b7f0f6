import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import Testing
@testable import KubeRuntime

@Suite("Finalizer on the sandbox", .serialized)
struct FinalizerTests {
    actor Calls {
        private(set) var events: [String] = []
        func add(_ e: String) { events.append(e) }
    }

    @Test func addsBeforeApplyCleansUpThenRemovesOnlyItsOwnEntry() async throws {
        let (sandbox, client) = try startTestSandbox()
        defer { sandbox.stop() }
        let finalizer = Finalizer(name: "example.io/cleanup", resource: .configMaps, client: client)
        let calls = Calls()
        let body: @Sendable (FinalizerEvent) async throws -> Action = { event in
            switch event {
            case .apply: await calls.add("apply")
            case .cleanup: await calls.add("cleanup")
            }
            return .requeue(after: .seconds(60))
        }
        _ = try await client.create(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "p", "namespace": "default"]])
        func fresh() async throws -> JSONValue { try await client.get(.configMaps, name: "p", namespace: "default") }

        #expect(try await finalizer.reconcile(try await fresh(), body) == .awaitChange)   // only adds the finalizer
        #expect(try await fresh().finalizers == ["example.io/cleanup"])
        #expect(await calls.events.isEmpty)
        #expect(try await finalizer.reconcile(try await fresh(), body) == .requeue(after: .seconds(60)))
        #expect(await calls.events == ["apply"])

        // Someone else's finalizer goes first; deletion then waits for both.
        _ = try await client.patch(.configMaps, name: "p", namespace: "default",
                                   .merge(["metadata": ["finalizers": ["other.io/keep", "example.io/cleanup"]]]))
        _ = try await client.delete(.configMaps, name: "p", namespace: "default")
        let deleting = try await fresh()
        #expect(deleting.deletionTimestamp != nil)

        // A stale view (our entry at the wrong index) must not remove the other finalizer.
        var stale = deleting
        stale["metadata", "finalizers"] = ["example.io/cleanup", "other.io/keep"]
        await #expect(throws: KubeClientError.self) { _ = try await finalizer.reconcile(stale, body) }
        #expect(try await fresh().finalizers == ["other.io/keep", "example.io/cleanup"])

        #expect(try await finalizer.reconcile(try await fresh(), body) == .requeue(after: .seconds(60)))
        #expect(try await fresh().finalizers == ["other.io/keep"])
        #expect(await calls.events == ["apply", "cleanup", "cleanup"])
        #expect(try await finalizer.reconcile(try await fresh(), body) == .awaitChange)   // ours is gone: nothing to do
        #expect(await calls.events.count == 3)
    }

    @Test func anObjectAlreadyGoneIsNotAnError() async throws {
        let (sandbox, client) = try startTestSandbox()
        defer { sandbox.stop() }
        let finalizer = Finalizer(name: "example.io/cleanup", resource: .configMaps, client: client)
        let calls = Calls()
        _ = try await client.create(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap",
                                                  "metadata": ["name": "gone", "namespace": "default", "finalizers": ["example.io/cleanup"]]])
        _ = try await client.delete(.configMaps, name: "gone", namespace: "default")
        let stale = try await client.get(.configMaps, name: "gone", namespace: "default")
        #expect(try await finalizer.reconcile(stale) { _ in await calls.add("cleanup"); return .awaitChange } == .awaitChange)
        // A stale cache still shows the object being deleted, with the finalizer: the cleanup runs again (it is
        // idempotent), and the removal finds the object gone.
        let again = try await finalizer.reconcile(stale) { _ in await calls.add("cleanup"); return .requeue(after: .seconds(5)) }
        #expect(again == .awaitChange)
        #expect(await calls.events == ["cleanup", "cleanup"])
    }

    @Test func patchesTestWhatTheyRead() {
        let noList: JSONValue = ["metadata": ["name": "p", "resourceVersion": "7"]]
        #expect(Finalizer.addPatch("f", to: noList) == [
            ["op": "test", "path": "/metadata/resourceVersion", "value": "7"],
            ["op": "add", "path": "/metadata/finalizers", "value": ["f"]],
        ])
        let withList: JSONValue = ["metadata": ["name": "p", "finalizers": ["a"]]]
        #expect(Finalizer.addPatch("f", to: withList) == [
            ["op": "test", "path": "/metadata/finalizers", "value": ["a"]],
            ["op": "add", "path": "/metadata/finalizers/-", "value": "f"],
        ])
        #expect(Finalizer.removePatch("f", at: 1) == [
            ["op": "test", "path": "/metadata/finalizers/1", "value": "f"],
            ["op": "remove", "path": "/metadata/finalizers/1"],
        ])
    }
}
