import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IncidentPlatform
import KubeClient
import KubeCore
import KubeRuntime
import KubeSandbox
import PlatformController
import Testing
import Logging
import Signals

/// A sandbox with the CRD installed, a test client, and operators started and stopped on demand.
final class OperatorHarness: Sendable {
    let sandbox: SandboxServer
    let client: KubeClient
    let namespace = "incident-platform"
    let name = "incidents"
    private let running = Mutex<[(stop: ShutdownSignal, task: Task<Void, any Error>)]>([])

    init(readyDelay: Double = 0.2) async throws {
        var options = SandboxOptions()
        options.readyDelay = readyDelay
        options.nodes = 2
        sandbox = SandboxServer(options: options)
        try sandbox.start()
        client = KubeClient(configuration: ClientConfiguration(server: sandbox.baseURL.absoluteString), logger: .silent)
        _ = try await client.apply(.customResourceDefinitions, IncidentPlatformCRD.definition, fieldManager: "test", force: true)
        _ = try await client.apply(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]],
                                   fieldManager: "test", force: true)
    }

    /// Starts an operator (metrics and probes off); returns its stop signal and the operator.
    @discardableResult
    func startOperator(resync: Duration? = nil, leaderElection: Bool = false, identity: String = "test",
                       log: LogSink = .memory(), metrics: String = "0", health: String = "0") -> (ShutdownSignal, PlatformOperator) {
        var config = OperatorConfiguration(identity: identity, logger: Logger(name: "op", level: .debug, format: .json, sink: log))
        config.metricsBindAddress = metrics
        config.healthProbeBindAddress = health
        config.informerOptions.resyncPeriod = resync
        config.informerOptions.backoff = ExponentialBackoff(base: .milliseconds(50), cap: .milliseconds(400))
        config.shutdownTimeout = .seconds(3)
        config.leaderElection = leaderElection
        config.leaderElectionNamespace = namespace
        config.leaseDuration = .seconds(3)
        config.renewDeadline = .seconds(2)
        config.retryPeriod = .milliseconds(300)
        let opClient = KubeClient(configuration: ClientConfiguration(server: sandbox.baseURL.absoluteString), logger: .silent)
        let op = PlatformOperator(client: opClient, configuration: config)
        let stop = ShutdownSignal()
        let task = Task { try await op.run(until: stop) }
        running.withLock { $0.append((stop, task)) }
        return (stop, op)
    }

    /// Stops every operator and the sandbox.
    func shutDown() async {
        let all = running.withLock { r in defer { r = [] }; return r }
        for r in all { r.stop.trigger(reason: "test done") }
        for r in all { _ = try? await r.task.value }
        sandbox.stop()
    }

    /// The example platform, optionally changed by `edit`, applied by the "user".
    func applyPlatform(_ edit: (inout JSONValue) -> Void = { _ in }) async throws {
        var object = try Fixtures.examplePlatform()
        edit(&object)
        _ = try await client.apply(.incidentPlatforms, object, namespace: namespace, fieldManager: "user", force: true)
    }

    func platform() async throws -> JSONValue { try await client.get(.incidentPlatforms, name: name, namespace: namespace) }

    func status() async throws -> IncidentPlatformStatus { try IncidentPlatformStatus(json: try await platform()["status"]) }

    /// Polls `condition` every 100 ms until it holds; fails the test after `timeout` seconds.
    func eventually(_ what: String, timeout: Double = 20, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out after \(timeout)s waiting until \(what)")
        throw HarnessTimeout(what: what)
    }

    /// Waits until the platform is Ready for the current generation.
    func waitReady(timeout: Double = 30) async throws {
        try await eventually("the platform is Ready", timeout: timeout) {
            let p = try await platform()
            let s = try IncidentPlatformStatus(json: p["status"])
            return s.phase == .ready && s.observedGeneration == p.generation
        }
    }

    /// Whether an object exists.
    func exists(_ resource: ResourceDescriptor, _ name: String, namespace: String? = nil) async throws -> Bool {
        do {
            _ = try await client.get(resource, name: name, namespace: resource.namespaced ? (namespace ?? self.namespace) : nil)
            return true
        } catch let error as KubeClientError where error.isNotFound {
            return false
        }
    }

    /// The sandbox's `apiserver_request_total` by verb and resource, summed over codes.
    func requestCounts() async throws -> [String: Int] {
        let (data, _) = try await URLSession.shared.data(from: sandbox.baseURL.appendingPathComponent("metrics"))
        let text = String(decoding: data, as: UTF8.self)
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("apiserver_request_total{") {
            func label(_ name: String) -> String {
                guard let r = line.range(of: "\(name)=\"") else { return "" }
                return String(line[r.upperBound...].prefix { $0 != "\"" })
            }
            let key = "\(label("verb")) \(label("resource"))" + (label("subresource").isEmpty ? "" : "/\(label("subresource"))")
            counts[key, default: 0] += Int(line.split(separator: " ").last ?? "0") ?? 0
        }
        return counts
    }

    /// The body of a GET.
    func fetch(_ url: String) async throws -> String {
        guard let u = URL(string: url) else { throw HarnessTimeout(what: "a valid URL \(url)") }
        let (data, _) = try await URLSession.shared.data(from: u)
        return String(decoding: data, as: UTF8.self)
    }

    /// Write requests (create, update, patch, apply, delete) seen by the sandbox so far.
    func writeCount() async throws -> Int {
        try await requestCounts().filter { ["POST", "CREATE", "PUT", "UPDATE", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION"].contains(String($0.key.split(separator: " ")[0])) }
            .values.reduce(0, +)
    }
}

struct HarnessTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting until \(what)" }
}

/// A small lock for test state.
final class Mutex<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
