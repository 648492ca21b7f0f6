import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import Testing
@testable import KubeRuntime

@Suite("Event recorder on the sandbox", .serialized)
struct EventRecorderTests {
    @Test func repeatedEventsAreCountedNotDuplicated() async throws {
        var options = SandboxOptions()
        options.readyDelay = 0
        let sandbox = SandboxServer(options: options)
        let port = try sandbox.start()
        defer { sandbox.stop() }
        let client = KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:\(port)"), logger: .silent)
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
