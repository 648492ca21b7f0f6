import KubeCore

/// Authorizes a request with the RBAC objects in the store, as the API server's RBAC authorizer does:
/// ClusterRoleBindings grant their ClusterRole's rules everywhere, RoleBindings grant their Role's (or
/// ClusterRole's) rules in their namespace. Subjects match by user name, ServiceAccount
/// (`system:serviceaccount:<ns>:<name>`) or group (`system:authenticated`, `system:serviceaccounts`,
/// `system:serviceaccounts:<ns>`). Aggregated ClusterRoles and non-resource URLs are not evaluated.
/// Writes of roles and bindings are also checked for escalation (`RBACAuthorizer+Escalation.swift`).
struct RBACAuthorizer {
    let store: ObjectStore

    /// The superuser that is never checked (requests without a token or impersonation act as it).
    static let superuser = "system:admin"

    /// Throws 403 Forbidden, worded like the API server, unless `user` may do `info`.
    func authorize(user: String, _ info: APIRequestInfo) throws {
        if user == Self.superuser { return }
        let d = info.type.descriptor
        // The default `system:basic-user` binding: everyone may ask what they may do.
        if d == BuiltinResources.selfSubjectAccessReviews { return }
        let resource = info.subresource.map { "\(d.plural)/\($0)" } ?? d.plural
        if allowed(user: user, verb: info.verb, group: d.group, resource: resource, namespace: info.namespace, name: info.name) { return }
        let qualified = d.group.isEmpty ? d.plural : "\(d.plural).\(d.group)"
        let subject = info.name.map { "\(qualified) \"\($0)\"" } ?? qualified
        let scope = info.namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        throw APIStatus(code: 403, reason: .forbidden,
                        message: "\(subject) is forbidden: User \"\(user)\" cannot \(info.verb) resource \"\(resource)\" in API group \"\(d.group)\" \(scope)",
                        details: ["name": .string(info.name ?? ""), "group": .string(d.group), "kind": .string(d.plural)])
    }

    /// Whether `user` holds a rule that allows `verb` on `resource` (`plural` or `plural/subresource`) of `group`,
    /// named `name`, in `namespace` (nil: cluster scope).
    func allowed(user: String, verb: String, group: String, resource: String, namespace: String?, name: String?) -> Bool {
        rules(of: user, namespace: namespace).contains { rule in
            func has(_ list: [String], _ value: String) -> Bool { list.contains("*") || list.contains(value) }
            guard has(rule.verbs, verb), has(rule.apiGroups, group) else { return false }
            let subresource = resource.split(separator: "/").dropFirst().first.map { "*/\($0)" }
            guard rule.resources.contains("*") || rule.resources.contains(resource) || subresource.map(rule.resources.contains) == true else { return false }
            return rule.resourceNames.isEmpty || name.map(rule.resourceNames.contains) == true
        }
    }

    /// The groups of a user, in the order the API server lists them: a ServiceAccount is in
    /// `system:serviceaccounts` and `system:serviceaccounts:<ns>`; everyone is in `system:authenticated`.
    static func groups(of user: String) -> [String] {
        let parts = user.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" {
            return ["system:serviceaccounts", "system:serviceaccounts:\(parts[2])", "system:authenticated"]
        }
        return ["system:authenticated"]
    }

    /// The rules `user` holds in `namespace` (nil: only what ClusterRoleBindings grant), as the API server's rule
    /// resolver gathers them: the ClusterRoles of the ClusterRoleBindings naming the user, then the Roles and
    /// ClusterRoles of the RoleBindings in `namespace` naming it. Bindings to missing roles grant nothing.
    func rules(of user: String, namespace: String?) -> [RBACPolicyRule] {
        let groups = Set(Self.groups(of: user))
        func matches(_ subjects: JSONValue?, bindingNamespace: String?) -> Bool {
            (subjects?.arrayValue ?? []).contains { s in
                switch s["kind"]?.stringValue {
                case "User": return s["name"]?.stringValue == user
                case "Group": return groups.contains(s["name"]?.stringValue ?? "")
                case "ServiceAccount":
                    let ns = s["namespace"]?.stringValue ?? bindingNamespace ?? ""
                    return user == "system:serviceaccount:\(ns):\(s["name"]?.stringValue ?? "")"
                default: return false
                }
            }
        }
        var held: [RBACPolicyRule] = []
        for b in store.list(Self.clusterRoleBindings, namespace: nil) where matches(b["subjects"], bindingNamespace: nil) {
            held += RBACPolicyRule.rules(of: role(b["roleRef"], namespace: nil))
        }
        if let namespace {
            for b in store.list(Self.roleBindings, namespace: namespace) where matches(b["subjects"], bindingNamespace: namespace) {
                held += RBACPolicyRule.rules(of: role(b["roleRef"], namespace: namespace))
            }
        }
        return held
    }

    /// The Role (in `namespace`) or ClusterRole a binding's `roleRef` names; nil when it does not exist.
    func role(_ roleRef: JSONValue?, namespace: String?) -> JSONValue? {
        guard let name = roleRef?["name"]?.stringValue else { return nil }
        switch roleRef?["kind"]?.stringValue {
        case "Role": return namespace.flatMap { store.get(Self.roles, namespace: $0, name: name) }
        case "ClusterRole": return store.get(Self.clusterRoles, namespace: nil, name: name)
        default: return nil
        }
    }

    static let roles = "rbac.authorization.k8s.io/roles"
    static let clusterRoles = "rbac.authorization.k8s.io/clusterroles"
    static let roleBindings = "rbac.authorization.k8s.io/rolebindings"
    static let clusterRoleBindings = "rbac.authorization.k8s.io/clusterrolebindings"
}
