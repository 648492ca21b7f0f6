import Foundation
import IncidentPlatform
import KubeCore
import KubeRuntime
import PlatformController
import Testing
import Logging

@Suite("Two operators with leader election", .serialized, .timeLimit(.minutes(2)))
struct LeaderElectionIntegrationTests {
    /// `rest_client_requests_total` of one operator summed per method.
    func requestsByMethod(_ op: PlatformOperator) -> [String: Int] {
        var out: [String: Int] = [:]
        for line in op.metricsExposition().split(separator: "\n") where line.hasPrefix("rest_client_requests_total{") {
            guard let r = line.range(of: "method=\"") else { continue }
            let method = String(line[r.upperBound...].prefix { $0 != "\"" })
            out[method, default: 0] += Int(line.split(separator: " ").last ?? "0") ?? 0
        }
        return out
    }

    func holder(_ h: OperatorHarness) async throws -> String {
        try await h.client.get(.leases, name: "incident-operator-leader", namespace: h.namespace)["spec", "holderIdentity"]?.stringValue ?? ""
    }

    @Test func onlyTheLeaderReconcilesAndAReleasedLeaseIsTakenOverQuickly() async throws {
        let h = try await OperatorHarness()
        let (stopA, a) = h.startOperator(leaderElection: true, identity: "a")
        try await h.eventually("a leads") { try await holder(h) == "a" }
        let (_, b) = h.startOperator(leaderElection: true, identity: "b")
        try await h.applyPlatform()
        try await h.waitReady()
        try await Task.sleep(for: .seconds(1))
        let standby = requestsByMethod(b)
        #expect(standby["PATCH", default: 0] == 0 && standby["DELETE", default: 0] == 0, "the standby wrote: \(standby)")
        #expect(requestsByMethod(a)["PATCH", default: 0] > 0)
        #expect(a.metricsExposition().contains("leader_election_master_status{name=\"incident-operator-leader\"} 1"))
        #expect(b.metricsExposition().contains("leader_election_master_status{name=\"incident-operator-leader\"} 0"))

        let released = Date()
        stopA.trigger(reason: "SIGTERM in the test")
        try await h.eventually("b leads", timeout: 3) { try await holder(h) == "b" }
        #expect(Date().timeIntervalSince(released) < 3)
        try await h.applyPlatform { $0["spec", "services", "webUI", "image"] = "ghcr.io/incidentops/web-ui:0.5.0" }
        try await h.eventually("b reconciles") {
            try await h.client.get(.deployments, name: "incidents-web-ui", namespace: h.namespace)["spec", "template", "spec", "containers"]?
                .arrayValue?.first?["image"] == "ghcr.io/incidentops/web-ui:0.5.0"
        }
        await h.shutDown()
    }
}

@Suite("Operator endpoints and write budget", .serialized, .timeLimit(.minutes(2)))
struct OperatorEndpointTests {
    @Test func metricsAndProbesAreServed() async throws {
        let h = try await OperatorHarness()
        let (_, op) = h.startOperator(metrics: "127.0.0.1:0", health: "127.0.0.1:0")
        try await h.applyPlatform()
        try await h.waitReady()
        let metrics = try await h.fetch("http://127.0.0.1:\(op.metricsPort)/metrics")
        for name in ["controller_runtime_reconcile_total{", "controller_runtime_reconcile_time_seconds_bucket{", "workqueue_adds_total{",
                     "controller_runtime_max_concurrent_reconciles{", "rest_client_requests_total{code=\"200\"", "process_"] {
            #expect(metrics.contains(name), "missing \(name)")
        }
        #expect(try await h.fetch("http://127.0.0.1:\(op.healthPort)/readyz") == "ok\n")
        #expect(try await h.fetch("http://127.0.0.1:\(op.healthPort)/healthz") == "ok\n")
        await h.shutDown()
    }

    /// The benchmark target: finalizer, every child once, one Event, one status. Workloads become ready at
    /// once here, so the status written after the 1 s hold is the final one.
    @Test func aNewPlatformCostsAtMostChildCountPlusThreeWrites() async throws {
        let h = try await OperatorHarness(readyDelay: 0)
        let log = LogSink.memory()
        let (_, op) = h.startOperator(log: log)
        try await h.applyPlatform()
        try await h.waitReady()
        try await Task.sleep(for: .seconds(1))
        let interesting = log.lines.filter { $0.contains("Applied child") || $0.contains("Status updated") || $0.contains("Converged") || $0.contains("finalizer") }
        var writes = 0
        for line in op.metricsExposition().split(separator: "\n") where line.hasPrefix("rest_client_requests_total{") {
            if ["POST", "PUT", "PATCH", "DELETE"].contains(where: { line.contains("method=\"\($0)\"") }) {
                writes += Int(line.split(separator: " ").last ?? "0") ?? 0
            }
        }
        let platform = try await h.platform()
        guard case .success(let loaded) = PlatformSpecLoader.load(platform) else { throw HarnessTimeout(what: "a valid platform") }
        let children = PlatformGenerator.desiredObjects(for: loaded, secrets: .generate).count
        #expect(writes <= children + 3, "\(writes) writes for \(children) children: \(interesting.joined(separator: "\n"))")
        await h.shutDown()
    }
}
