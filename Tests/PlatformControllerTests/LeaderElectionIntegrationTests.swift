import Foundation
import KubeCore
import PlatformController
import Testing

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
