import Foundation
import KubeCore
import Testing
@testable import KubeSandbox

@Suite("Sandbox RBAC enforcement")
struct SandboxRBACTests {
    func setUp(_ c: SandboxTestClient) {
        c.post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        c.post("/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles", [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "reader"],
            "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"]],
                      ["apiGroups": ["apps"], "resources": ["deployments/status"], "verbs": ["patch"]]],
        ])
        c.post("/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "alice-reads"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"],
            "subjects": [["kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"]],
        ])
        c.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "ns-lister"],
            "rules": [["apiGroups": ["*"], "resources": ["namespaces"], "verbs": ["list"]]],
        ])
        c.post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "operator-lists"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "ns-lister"],
            "subjects": [["kind": "ServiceAccount", "name": "operator", "namespace": "team"]],
        ])
    }

    @Test func rolesAndBindingsDecideWhatAUserMayDo() throws {
        try withSandbox({ $0.enforceRBAC = true; $0.tokens = ["alice-token": "alice", "op-token": "system:serviceaccount:team:operator"] }) { _, c in
            setUp(c)
            let alice = ["Authorization": "Bearer alice-token"]
            #expect(c.get("/api/v1/namespaces/team/configmaps", headers: alice).status == 200)
            let create = c.send("POST", "/api/v1/namespaces/team/configmaps", configMap("x"), headers: alice)
            #expect(create.status == 403)
            #expect(APIStatus(json: create.json)?.message == #"configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "team""#)
            #expect(c.get("/api/v1/namespaces/default/configmaps", headers: alice).status == 403, "a RoleBinding grants only in its namespace")
            #expect(c.get("/api/v1/namespaces", headers: alice).status == 403)
            let op = ["Authorization": "Bearer op-token"]
            #expect(c.get("/api/v1/namespaces", headers: op).status == 200, "a ClusterRoleBinding to a ServiceAccount grants everywhere")
            #expect(c.get("/api/v1/namespaces/team", headers: op).status == 403)
            #expect(c.get("/api/v1/namespaces/team/configmaps", headers: ["Impersonate-User": "alice"]).status == 200, "impersonation acts as the user")
            #expect(c.get("/api/v1/namespaces/team/secrets", headers: ["Impersonate-User": "alice"]).status == 403)
            #expect(c.post("/api/v1/namespaces/team/configmaps", configMap("admin-made")).status == 201, "no token: system:admin")
        }
    }

    @Test func subresourceRulesAreSeparateFromTheResource() throws {
        try withSandbox({ $0.enforceRBAC = true }) { _, c in
            setUp(c)
            c.post("/apis/apps/v1/namespaces/team/deployments", deployment("web"))
            let alice = ["Impersonate-User": "alice"]
            let status = c.send("PATCH", "/apis/apps/v1/namespaces/team/deployments/web/status", ["status": ["replicas": 1]],
                                contentType: "application/merge-patch+json", headers: alice)
            #expect(status.status == 200)
            let main = c.send("PATCH", "/apis/apps/v1/namespaces/team/deployments/web", ["spec": ["replicas": 1]],
                              contentType: "application/merge-patch+json", headers: alice)
            #expect(main.status == 403)
            #expect(APIStatus(json: main.json)?.message.contains(#"deployments.apps "web" is forbidden"#) == true)
        }
    }
}
