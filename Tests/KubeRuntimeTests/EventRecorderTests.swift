import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import Testing
@testable import KubeRuntime
import Logging

@Suite("Event recorder on the sandbox", .serialized)
struct EventRecorderTests {
    @Test func repeatedEventsAreCountedNotDuplicated() async throws {
        let (sandbox, client) = try startTestSandbox()
        defer { sandbox.stop() }
        let object = try await client.create(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "prod", "namespace": "default"]])
        let recorder = EventRecorder(client: client, component: "incident-operator", instance: "pod-1")
        await recorder.record(for: object, type: .normal, reason: "Created", message: "Created Deployment default/grafana")
        await recorder.record(for: object, type: .normal, reason: "Created", message: "Created Deployment default/grafana")
        await recorder.record(for: object, type: .warning, reason: "InvalidSpec", message: "spec.size: must be positive")
        let events = try await client.list(.events, namespace: "default").items
            .filter { $0["involvedObject", "name"] == "prod" }
            .sorted { ($0["reason"]?.stringValue ?? "") < ($1["reason"]?.stringValue ?? "") }
        #expect(events.count == 2)
        let created = try #require(events.first)
        #expect(created["reason"] == "Created")
        #expect(created["count"] == 2)
        #expect(created["type"] == "Normal")
        #expect(created["involvedObject", "kind"] == "ConfigMap")
        #expect(created["involvedObject", "uid"] == object["metadata", "uid"])
        #expect(created["source", "component"] == "incident-operator")
        #expect(created["reportingInstance"] == "pod-1")
        #expect(events.last?["type"] == "Warning")
        #expect(events.last?["count"] == 1)
    }

    @Test func forgettingAnObjectDropsItsEventsOnly() async throws {
        let sandbox = try Self.sandbox()
        defer { sandbox.server.stop() }
        let client = sandbox.client
        let gone = try await client.create(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "gone", "namespace": "default"]])
        let kept = try await client.create(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "kept", "namespace": "default"]])
        let recorder = EventRecorder(client: client, component: "incident-operator")
        for object in [gone, kept] {
            await recorder.record(for: object, type: .normal, reason: "Created", message: "Created 1")
            await recorder.record(for: object, type: .normal, reason: "Updated", message: "Updated 1")
        }
        #expect(await recorder.rememberedCount == 4)

        await recorder.forget(uid: try #require(gone.uid))

        #expect(await recorder.rememberedCount == 2)
        // The object that is still there keeps aggregating.
        await recorder.record(for: kept, type: .normal, reason: "Created", message: "Created 1")
        let events = try await client.list(.events, namespace: "default").items
        let keptCreated = events.filter { $0["involvedObject", "name"] == "kept" && $0["reason"] == "Created" }
        #expect(keptCreated.count == 1)
        #expect(keptCreated.first?["count"] == 2)
    }

    @Test func eventsPastTheAggregationWindowAreNotKept() async throws {
        let sandbox = try Self.sandbox()
        defer { sandbox.server.stop() }
        let object = try await sandbox.client.create(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "churn", "namespace": "default"]])
        // With no window every event expires as soon as it is recorded: only the newest is remembered.
        let recorder = EventRecorder(client: sandbox.client, component: "incident-operator", aggregationWindow: .zero)
        for i in 0..<5 {
            await recorder.record(for: object, type: .normal, reason: "Updated", message: "Updated \(i)")
        }
        #expect(await recorder.rememberedCount == 1)
    }

    private static func sandbox() throws -> (server: SandboxServer, client: KubeClient) { try startTestSandbox() }

    @Test func eventTimesAreWholeSecondsUTC() {
        #expect(EventRecorder.time(Date(timeIntervalSince1970: 1_700_000_000.9)) == "2023-11-14T22:13:20Z")
    }

    @Test func failuresAreLoggedNotThrown() async {
        let sink = LogSink.memory()
        let client = KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:1"), logger: .silent)
        let recorder = EventRecorder(client: client, component: "c", logger: Logger(sink: sink))
        await recorder.record(for: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "namespace": "ns"]],
                              type: .normal, reason: "Created", message: "m")
        #expect(sink.lines.count == 1)
        #expect(sink.lines.first?.contains("Could not record an event") == true)
    }
}
