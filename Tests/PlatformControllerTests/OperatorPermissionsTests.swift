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
    }
}
