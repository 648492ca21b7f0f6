import IncidentPlatform
import KubeClient
import KubeCore
@testable import KubeRuntime
import KubeSandbox
@testable import PlatformController
import Testing

@Suite("Forgetting a deleted platform")
struct ForgetDeletedPlatformTests {
    @Test func cleanupDropsTheRecordedHashesAndStatusWrites() async throws {
        var object = try Fixtures.examplePlatform()
        object["metadata", "uid"] = "uid-1"
        let platform = try Fixtures.loadedExample()
        let client = KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:9"), logger: .silent)
        let context = PlatformContext(client: client, children: [:], hashes: AppliedHashes(),
                                      events: EventRecorder(client: client, component: "test"))
        let children = PlatformGenerator.desiredObjects(for: platform, secrets: .omit)
        for child in children { context.hashes.set(ChildPlan.key(child), "00000000000000aa") }
        context.hashes.set("ConfigMap/elsewhere/other-platform-config", "00000000000000bb")
        let key = Store.key(namespace: object.namespace, name: object.name ?? "")
        let status = IncidentPlatformStatus(phase: .ready)
        context.statusThrottle.wrote(key: key, status, over: IncidentPlatformStatus())
        #expect(context.statusThrottle.repeatsLastWrite(key: key, status, over: IncidentPlatformStatus()))
        #expect(context.hashes.count == children.count + 1)

        await PlatformReconciler.forget(object, context: context)

        #expect(context.hashes.count == 1)
        #expect(context.hashes.get("ConfigMap/elsewhere/other-platform-config") == "00000000000000bb")
        #expect(!context.statusThrottle.repeatsLastWrite(key: key, status, over: IncidentPlatformStatus()))
    }

    @Test func cleanupDropsThePlatformsEventsKeptForAggregation() async throws {
        let harness = try await OperatorHarness(readyDelay: 0)
        defer { harness.sandbox.stop() }
        let client = harness.client
        var object = try Fixtures.examplePlatform()
        object["metadata", "uid"] = "uid-1"
        #expect(object.namespace == harness.namespace, "the harness made the example's namespace")
        var other = object
        other["metadata", "uid"] = "uid-2"
        let events = EventRecorder(client: client, component: "test")
        let context = PlatformContext(client: client, children: [:], hashes: AppliedHashes(), events: events)
        await events.record(for: object, type: .normal, reason: "Reconciled", message: "created 53")
        await events.record(for: other, type: .normal, reason: "Reconciled", message: "created 53")
        #expect(await events.rememberedCount == 2)

        await PlatformReconciler.forget(object, context: context)

        #expect(await events.rememberedCount == 1)
    }
}
