import IncidentPlatform
import KubeCore
import PlatformController
import Testing

@Suite("Permission table: one source of truth")
struct OperatorPermissionsTests {
    @Test func everyGeneratedKindIsOwnedAndWatched() throws {
        let platform = try Fixtures.loadedExample()
        let kinds = Set(PlatformGenerator.desiredObjects(for: platform, secrets: .generate).compactMap(\.kind))
        let owned = Set(OperatorPermissions.ownedKinds.map(\.kind))
        #expect(kinds.isSubset(of: owned), "missing: \(kinds.subtracting(owned))")
    }

    @Test func clusterRoleCoversWhatTheOperatorCalls() throws {
        let rules = try #require(OperatorPermissions.clusterRoleRules.arrayValue)
        func verbs(_ group: String, _ resource: String) -> Set<String> {
            Set(rules.filter { $0["apiGroups"]?.arrayValue?.contains(.string(group)) == true
                && $0["resources"]?.arrayValue?.contains(.string(resource)) == true }
                .flatMap { $0["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [] })
        }
        #expect(verbs("incidentops.io", "incidentplatforms").isSuperset(of: ["get", "list", "watch", "patch"]))
        #expect(verbs("incidentops.io", "incidentplatforms/status").contains("patch"))
        #expect(verbs("incidentops.io", "incidentplatforms/finalizers").contains("update"))
        #expect(verbs("coordination.k8s.io", "leases").isSuperset(of: ["get", "create", "update"]))
        #expect(verbs("", "events").contains("create"))
        #expect(verbs("apps", "deployments").isSuperset(of: ["list", "watch", "patch", "create", "delete"]))
        #expect(verbs("rbac.authorization.k8s.io", "clusterroles").contains("delete"))
        // Granted by Prometheus' ClusterRole (kubelet volume stats through the API server proxy): held, never more.
        #expect(verbs("", "nodes/proxy") == ["get"])
        #expect(verbs("", "nodes") == ["get", "list", "watch"])
        #expect(OperatorPermissions.grantedByChildren.contains { $0.resource == "nodes/proxy" && $0.verbs == ["get"] })
    }

    /// RBAC escalation prevention: the operator may only grant what it holds, so every rule of a Role or
    /// ClusterRole it generates must be in its own ClusterRole.
    @Test func clusterRoleHoldsEverythingTheGeneratedRolesGrant() throws {
        let held = Self.expand(try #require(OperatorPermissions.clusterRoleRules.arrayValue))
        let platform = try Fixtures.loadedExample()
        let roles = PlatformGenerator.desiredObjects(for: platform, secrets: .omit).filter { $0.kind?.hasSuffix("Role") == true }
        let granted = Self.expand(roles.flatMap { $0["rules"]?.arrayValue ?? [] })
        #expect(granted.contains("/pods/list"), "the example's generated Roles grant reads on pods")
        #expect(granted.isSubset(of: held), "not held: \(granted.subtracting(held).sorted())")
    }

    /// RBAC rules as a set of "group/resource/verb".
    static func expand(_ rules: [JSONValue]) -> Set<String> {
        func strings(_ rule: JSONValue, _ key: String) -> [String] { rule[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        var out: Set<String> = []
        for rule in rules {
            for group in strings(rule, "apiGroups") {
                for resource in strings(rule, "resources") {
                    for verb in strings(rule, "verbs") { out.insert("\(group)/\(resource)/\(verb)") }
                }
            }
        }
        return out
    }
}
