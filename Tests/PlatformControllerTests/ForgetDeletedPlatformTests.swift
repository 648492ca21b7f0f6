import IncidentPlatform
import KubeClient
import KubeCore
import KubeRuntime
@testable import PlatformController
import Testing

@Suite("Forgetting a deleted platform")
struct ForgetDeletedPlatformTests {
    @Test func cleanupDropsTheRecordedHashesAndStatusWrites() throws {
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

        PlatformReconciler.forget(object, context: context)

        #expect(context.hashes.count == 1)
        #expect(context.hashes.get("ConfigMap/elsewhere/other-platform-config") == "00000000000000bb")
        #expect(!context.statusThrottle.repeatsLastWrite(key: key, status, over: IncidentPlatformStatus()))
    }
}
