import Foundation
import KubeCore
import Testing
@testable import KubeSandbox

@Suite("Sandbox RBAC escalation prevention and denied requests in the audit log")
struct SandboxRBACEscalationTests {
    static let rbac = "/apis/rbac.authorization.k8s.io/v1"
    let alice = ["Impersonate-User": "alice"]

    static func rule(_ groups: [String], _ resources: [String], _ verbs: [String], names: [String] = []) -> JSONValue {
        var r: JSONValue = ["apiGroups": .array(groups.map(JSONValue.string)), "resources": .array(resources.map(JSONValue.string)),
                            "verbs": .array(verbs.map(JSONValue.string))]
        if !names.isEmpty { r["resourceNames"] = .array(names.map(JSONValue.string)) }
        return r
    }

    static func role(_ kind: String, _ name: String, _ rules: [JSONValue]) -> JSONValue {
        ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": .string(kind), "metadata": ["name": .string(name)], "rules": .array(rules)]
    }

    static func binding(_ kind: String, _ name: String, roleKind: String, role: String, user: String) -> JSONValue {
        ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": .string(kind), "metadata": ["name": .string(name)],
         "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(roleKind), "name": .string(role)],
         "subjects": [["kind": "User", "name": .string(user), "apiGroup": "rbac.authorization.k8s.io"]]]
    }

    /// As system:admin: namespaces `team` and `other`; alice may write roles and bindings everywhere and holds
    /// configmaps get/list/watch in `team` only; `everything` is a wildcard ClusterRole bound to `root`.
    func setUp(_ c: SandboxTestClient) {
        for ns in ["team", "other"] {
            c.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
        }
        let rbacGroup = ["rbac.authorization.k8s.io"]
        c.post("\(Self.rbac)/clusterroles", Self.role("ClusterRole", "rbac-writer", [
            Self.rule(rbacGroup, ["roles", "rolebindings", "clusterroles", "clusterrolebindings"], ["get", "create", "update", "patch"]),
        ]))
        c.post("\(Self.rbac)/clusterrolebindings", Self.binding("ClusterRoleBinding", "alice-writes-rbac", roleKind: "ClusterRole", role: "rbac-writer", user: "alice"))
        c.post("\(Self.rbac)/namespaces/team/roles", Self.role("Role", "reader", [Self.rule([""], ["configmaps"], ["get", "list", "watch"])]))
        c.post("\(Self.rbac)/namespaces/team/rolebindings", Self.binding("RoleBinding", "alice-reads", roleKind: "Role", role: "reader", user: "alice"))
        c.post("\(Self.rbac)/clusterroles", Self.role("ClusterRole", "everything", [
            Self.rule(["*"], ["*"], ["*"]), ["nonResourceURLs": ["*"], "verbs": ["*"]],
        ]))
        c.post("\(Self.rbac)/clusterrolebindings", Self.binding("ClusterRoleBinding", "root-everything", roleKind: "ClusterRole", role: "everything", user: "root"))
    }

    // MARK: Rule arithmetic

    @Test func heldRulesCoverGrantedRulesAsTheAPIServerCompares() {
        let held = [RBACPolicyRule(apiGroups: ["apps"], resources: ["deployments", "*/status"], verbs: ["get", "list"]),
                    RBACPolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["db"]),
                    RBACPolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz/*"])]
        #expect(RBACPolicyRule.missing(held: held, granted: [RBACPolicyRule(apiGroups: ["apps"], resources: ["deployments", "statefulsets/status"], verbs: ["list"])]).isEmpty)
        #expect(RBACPolicyRule.missing(held: held, granted: [RBACPolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["db"])]).isEmpty)
        #expect(RBACPolicyRule.missing(held: held, granted: [RBACPolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz/ping"])]).isEmpty)
        #expect(RBACPolicyRule.missing(held: held, granted: [RBACPolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["get"])])
                == [#"{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}"#], "a rule for every name is more than a rule for one name")
        #expect(RBACPolicyRule.missing(held: held, granted: [RBACPolicyRule(apiGroups: ["apps", ""], resources: ["deployments", "pods"], verbs: ["get", "watch"])])
                == [#"{APIGroups:[""], Resources:["deployments"], Verbs:["get" "watch"]}"#, #"{APIGroups:[""], Resources:["pods"], Verbs:["get" "watch"]}"#,
                    #"{APIGroups:["apps"], Resources:["deployments"], Verbs:["watch"]}"#, #"{APIGroups:["apps"], Resources:["pods"], Verbs:["get" "watch"]}"#])
        #expect(RBACPolicyRule.missing(held: RBACPolicyRule.fullAuthority, granted: held + [RBACPolicyRule(apiGroups: ["x"], resources: ["y"], verbs: ["escalate"])]).isEmpty)
    }

    // MARK: Roles

    @Test func aRoleMayGrantOnlyWhatTheUserHoldsInItsNamespace() throws {
        try withSandbox({ $0.enforceRBAC = true }) { _, c in
            setUp(c)
            let held = Self.role("Role", "cm", [Self.rule([""], ["configmaps"], ["get", "list"])])
            #expect(c.send("POST", "\(Self.rbac)/namespaces/team/roles", held, headers: alice).status == 201)
            let more = Self.role("Role", "pods", [Self.rule([""], ["configmaps"], ["get"]), Self.rule([""], ["pods"], ["get", "list", "watch"])])
            let denied = c.send("POST", "\(Self.rbac)/namespaces/team/roles", more, headers: alice)
            #expect(denied.status == 403)
            #expect(APIStatus(json: denied.json)?.reason == .forbidden)
            #expect(APIStatus(json: denied.json)?.message == """
                roles.rbac.authorization.k8s.io "pods" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:
                {APIGroups:[""], Resources:["pods"], Verbs:["get" "list" "watch"]}
                """)
            #expect(c.get("\(Self.rbac)/namespaces/team/roles/pods").status == 404, "nothing stored")
            #expect(c.send("POST", "\(Self.rbac)/namespaces/other/roles", held, headers: alice).status == 403, "held only in team")
            let cluster = c.send("POST", "\(Self.rbac)/clusterroles", Self.role("ClusterRole", "cm", [Self.rule([""], ["configmaps"], ["get"])]), headers: alice)
            #expect(cluster.status == 403, "a ClusterRole needs the permissions cluster-wide")
            #expect(APIStatus(json: cluster.json)?.message.hasPrefix(#"clusterroles.rbac.authorization.k8s.io "cm" is forbidden: user "alice""#) == true)
        }
    }

    @Test func putPatchAndApplyAreCheckedLikeCreate() throws {
        try withSandbox({ $0.enforceRBAC = true }) { _, c in
            setUp(c)
            let path = "\(Self.rbac)/namespaces/team/roles/cm"
            #expect(c.send("PATCH", "\(path)?fieldManager=alice", Self.role("Role", "cm", [Self.rule([""], ["configmaps"], ["get"])]),
                           contentType: "application/apply-patch+yaml", headers: alice).status == 201)
            let wider = Self.role("Role", "cm", [Self.rule([""], ["configmaps", "secrets"], ["get"])])
            #expect(c.send("PUT", path, wider, headers: alice).status == 403)
            #expect(c.send("PATCH", path, ["rules": [Self.rule([""], ["secrets"], ["get"])]], contentType: "application/merge-patch+json", headers: alice).status == 403)
            #expect(c.send("PATCH", path, [["op": "add", "path": "/rules/0/verbs/-", "value": "delete"]], contentType: "application/json-patch+json", headers: alice).status == 403)
            let apply = c.send("PATCH", "\(path)?fieldManager=alice", wider, contentType: "application/apply-patch+yaml", headers: alice)
            #expect(apply.status == 403)
            #expect(APIStatus(json: apply.json)?.message.hasSuffix(#"{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}"#) == true)
            let created = c.send("PATCH", "\(Self.rbac)/namespaces/team/roles/new?fieldManager=alice", Self.role("Role", "new", [Self.rule([""], ["pods"], ["list"])]),
                                 contentType: "application/apply-patch+yaml", headers: alice)
            #expect(created.status == 403, "server-side apply that creates is checked too")
            #expect(c.get(path).json["rules"] == [Self.rule([""], ["configmaps"], ["get"])], "the stored role is unchanged")
            #expect(c.send("PATCH", "\(path)?fieldManager=alice", Self.role("Role", "cm", [Self.rule([""], ["configmaps"], ["get", "list"])]),
                           contentType: "application/apply-patch+yaml", headers: alice).status == 200)
        }
    }

    @Test func changingOnlyGarbageCollectorFieldsIsNotChecked() throws {
        try withSandbox({ $0.enforceRBAC = true }) { _, c in
            setUp(c)
            c.post("\(Self.rbac)/namespaces/team/roles", Self.role("Role", "wide", [Self.rule([""], ["secrets"], ["*"])]))
            let path = "\(Self.rbac)/namespaces/team/roles/wide"
            #expect(c.send("PATCH", path, ["metadata": ["finalizers": ["example.io/keep"]]], contentType: "application/merge-patch+json", headers: alice).status == 200)
            #expect(c.send("PATCH", path, ["metadata": ["labels": ["a": "b"]]], contentType: "application/merge-patch+json", headers: alice).status == 403)
        }
    }

    @Test func escalateVerbWildcardsAndTheSuperuserPass() throws {
        try withSandbox({ $0.enforceRBAC = true }) { _, c in
            setUp(c)
            let pods = Self.role("ClusterRole", "pods", [Self.rule([""], ["pods"], ["*"])])
            #expect(c.send("POST", "\(Self.rbac)/clusterroles", pods, headers: ["Impersonate-User": "root"]).status == 201, "a wildcard role holds everything")
            #expect(c.send("PUT", "\(Self.rbac)/clusterroles/pods", Self.role("ClusterRole", "pods", [Self.rule(["*"], ["*"], ["*"])])).status == 200, "system:admin")
            c.post("\(Self.rbac)/clusterroles", Self.role("ClusterRole", "escalator", [Self.rule(["rbac.authorization.k8s.io"], ["roles"], ["escalate"])]))
            c.post("\(Self.rbac)/namespaces/other/rolebindings", Self.binding("RoleBinding", "bob-escalates", roleKind: "ClusterRole", role: "escalator", user: "bob"))
            c.post("\(Self.rbac)/clusterrolebindings", Self.binding("ClusterRoleBinding", "bob-writes-rbac", roleKind: "ClusterRole", role: "rbac-writer", user: "bob"))
            let bob = ["Impersonate-User": "bob"]
            let secrets = Self.role("Role", "secrets", [Self.rule([""], ["secrets"], ["*"])])
            #expect(c.send("POST", "\(Self.rbac)/namespaces/other/roles", secrets, headers: bob).status == 201, "escalate on roles in the namespace")
            #expect(c.send("POST", "\(Self.rbac)/namespaces/team/roles", secrets, headers: bob).status == 403, "escalate only where bound")
            let aggregated: JSONValue = ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "agg"],
                                         "aggregationRule": ["clusterRoleSelectors": [["matchLabels": ["x": "y"]]]], "rules": []]
            let denied = c.send("POST", "\(Self.rbac)/clusterroles", aggregated, headers: alice)
            #expect(denied.status == 403)
            #expect(APIStatus(json: denied.json)?.message == #"clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule"#)
            #expect(c.send("POST", "\(Self.rbac)/clusterroles", aggregated, headers: ["Impersonate-User": "root"]).status == 201)
        }
    }

    @Test func withoutRBACNothingIsChecked() throws {
        try withSandbox { _, c in
            c.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
            #expect(c.send("POST", "\(Self.rbac)/clusterroles", Self.role("ClusterRole", "all", [Self.rule(["*"], ["*"], ["*"])]), headers: alice).status == 201)
        }
    }

    // MARK: Bindings

    @Test func aBindingNeedsTheRolesPermissionsOrBind() throws {
        try withSandbox({ $0.enforceRBAC = true; $0.tokens = ["op": "system:serviceaccount:team:op"] }) { _, c in
            setUp(c)
            let path = "\(Self.rbac)/namespaces/team/rolebindings"
            #expect(c.send("POST", path, Self.binding("RoleBinding", "carol-reads", roleKind: "Role", role: "reader", user: "carol"), headers: alice).status == 201)
            let everything = Self.binding("RoleBinding", "carol-all", roleKind: "ClusterRole", role: "everything", user: "carol")
            let denied = c.send("POST", path, everything, headers: alice)
            #expect(denied.status == 403)
            #expect(APIStatus(json: denied.json)?.message.hasPrefix("""
                rolebindings.rbac.authorization.k8s.io "carol-all" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:
                {APIGroups:["*"], Resources:["*"], Verbs:["*"]}
                """) == true)
            let crb = c.send("POST", "\(Self.rbac)/clusterrolebindings", Self.binding("ClusterRoleBinding", "carol-cm", roleKind: "ClusterRole", role: "rbac-writer", user: "carol"), headers: alice)
            #expect(crb.status == 201, "alice holds rbac-writer's rules cluster-wide")
            let missing = c.send("POST", path, Self.binding("RoleBinding", "ghost", roleKind: "Role", role: "ghost", user: "carol"), headers: alice)
            #expect(missing.status == 400)
            #expect(APIStatus(json: missing.json)?.message == #"role.rbac.authorization.k8s.io "ghost" not found"#)

            c.post("\(Self.rbac)/clusterroles", Self.role("ClusterRole", "binder", [Self.rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["bind"], names: ["everything"])]))
            c.post("\(Self.rbac)/namespaces/team/rolebindings", Self.binding("RoleBinding", "alice-binds", roleKind: "ClusterRole", role: "binder", user: "alice"))
            #expect(c.send("POST", path, everything, headers: alice).status == 201, "bind on the named ClusterRole in the namespace")
            #expect(c.send("POST", "\(Self.rbac)/namespaces/other/rolebindings", everything, headers: alice).status == 403, "bind only where granted")

            let sa = ["Authorization": "Bearer op"]
            c.post("\(Self.rbac)/clusterrolebindings", ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "op-rbac"],
                                                         "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "rbac-writer"],
                                                         "subjects": [["kind": "ServiceAccount", "name": "op", "namespace": "team"]]])
            let byServiceAccount = c.send("POST", path, Self.binding("RoleBinding", "sa-reads", roleKind: "Role", role: "reader", user: "carol"), headers: sa)
            #expect(APIStatus(json: byServiceAccount.json)?.message.contains(
                #"user "system:serviceaccount:team:op" (groups=["system:serviceaccounts" "system:serviceaccounts:team" "system:authenticated"])"#) == true)
        }
    }

    // MARK: Audit log

    @Test func theAuditLogRecordsEveryDeniedRequestReadsIncluded() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: log) }
        try withSandbox({ $0.enforceRBAC = true; $0.auditLog = log; $0.tokens = ["t": "alice"] }) { _, c in
            setUp(c)
            c.get("/api/v1/namespaces/team/configmaps", headers: alice)
            c.get("/api/v1/namespaces/team/secrets", headers: alice)
            c.get("/api/v1/namespaces/team/secrets?watch=true", headers: alice)
            c.get("/api/v1/namespaces/team/secrets/x", headers: ["Authorization": "Bearer t"])
            c.get("/api/v1/namespaces/team/configmaps", headers: ["Authorization": "Bearer wrong"])
            c.send("POST", "\(Self.rbac)/namespaces/team/roles", Self.role("Role", "pods", [Self.rule([""], ["pods"], ["get"])]), headers: alice)
        }
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { try JSONValue(json: String($0)) }
        let denied = lines.filter { ($0["code"]?.intValue ?? 0) >= 400 }
        #expect(denied.map { $0["verb"]?.stringValue ?? "" } == ["LIST", "WATCH", "GET", "LIST", "POST"])
        #expect(denied.map { $0["code"]?.intValue ?? 0 } == [403, 403, 403, 401, 403])
        #expect(denied[0]["user"] == "alice" && denied[0]["resource"] == "secrets" && denied[0]["namespace"] == "team")
        #expect(denied[2]["name"] == "x")
        #expect(denied[3]["user"] == "" && denied[3]["resource"] == "configmaps")
        #expect(denied[4]["resource"] == "roles")
        #expect(!lines.contains { $0["verb"] == "LIST" && $0["code"] == 200 }, "allowed reads are not logged")
    }
}
