import KubeCore
import KubeRuntime
@testable import PlatformController
import Testing

@Suite("Owned-object events map to their platform")
struct ChildOwnersTests {
    @Test func ownerReferenceWins() {
        let child = Fixtures.deployment(name: "demo-web-ui")
        #expect(ChildOwners.keys(of: child, platforms: { [] }) == ["ops/demo"])
    }

    @Test func retainedVolumesMapByTheInstanceLabel() {
        let pvc = Fixtures.deployment(name: "demo-postgres-data", uid: nil)
        #expect(ChildOwners.keys(of: pvc, platforms: { [] }) == ["ops/demo"])
    }

    @Test func foreignObjectsMapToNothing() {
        var other = Fixtures.deployment(name: "x", uid: nil)
        other["metadata", "labels", "app.kubernetes.io/managed-by"] = "helm"
        #expect(ChildOwners.keys(of: other, platforms: { [] }).isEmpty)
    }

    @Test func clusterScopedChildrenMapToThePlatformTheirNameStartsWith() {
        let role: JSONValue = ["kind": "ClusterRole", "metadata": ["name": "ops-demo-promtail", "labels": [
            "app.kubernetes.io/managed-by": "incident-operator", "app.kubernetes.io/instance": "demo"]]]
        let platforms: [JSONValue] = [["metadata": ["name": "demo", "namespace": "ops"]], ["metadata": ["name": "demo", "namespace": "prod"]]]
        #expect(ChildOwners.keys(of: role, platforms: { platforms }) == ["ops/demo"])
    }

    @Test func bindAddresses() throws {
        #expect(try BindAddress.parse(":8080", flag: "x") == BindAddress(host: "0.0.0.0", port: 8080))
        #expect(try BindAddress.parse("127.0.0.1:0", flag: "x") == BindAddress(host: "127.0.0.1", port: 0))
        #expect(try BindAddress.parse("0", flag: "x") == nil)
        #expect(throws: BindAddressError.self) { try BindAddress.parse("localhost", flag: "metrics-bind-address") }
    }
}
