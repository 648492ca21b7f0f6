import KubeCore

/// Authorizes a request with the RBAC objects in the store, as the API server's RBAC authorizer does:
/// ClusterRoleBindings grant their ClusterRole's rules everywhere, RoleBindings grant their Role's (or
/// ClusterRole's) rules in their namespace. Subjects match by user name, ServiceAccount
/// (`system:serviceaccount:<ns>:<name>`) or group (`system:authenticated`, `system:serviceaccounts`,
/// `system:serviceaccounts:<ns>`). Aggregated ClusterRoles and non-resource URLs are not evaluated.
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

    func allowed(user: String, verb: String, group: String, resource: String, namespace: String?, name: String?) -> Bool {
        var groups: Set<String> = ["system:authenticated"]
        let parts = user.split(separator: ":").map(String.init)
        if parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" {
            groups.insert("system:serviceaccounts")
            groups.insert("system:serviceaccounts:\(parts[2])")
        }
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
        func rules(kind: String?, name: String?, namespace: String?) -> [JSONValue] {
            guard let name else { return [] }
            let role = kind == "Role"
                ? store.get("rbac.authorization.k8s.io/roles", namespace: namespace, name: name)
                : store.get("rbac.authorization.k8s.io/clusterroles", namespace: nil, name: name)
            return role?["rules"]?.arrayValue ?? []
        }
        var granted: [JSONValue] = []
        for b in store.list("rbac.authorization.k8s.io/clusterrolebindings", namespace: nil) where matches(b["subjects"], bindingNamespace: nil) {
            granted += rules(kind: "ClusterRole", name: b["roleRef", "name"]?.stringValue, namespace: nil)
        }
        if let namespace {
            for b in store.list("rbac.authorization.k8s.io/rolebindings", namespace: namespace) where matches(b["subjects"], bindingNamespace: namespace) {
                granted += rules(kind: b["roleRef", "kind"]?.stringValue, name: b["roleRef", "name"]?.stringValue, namespace: namespace)
            }
        }
        return granted.contains { rule in
            func has(_ key: String, _ value: String) -> Bool {
                let list = (rule[key]?.arrayValue ?? []).compactMap(\.stringValue)
                return list.contains("*") || list.contains(value)
            }
            guard has("verbs", verb), has("apiGroups", group) else { return false }
            let resources = (rule["resources"]?.arrayValue ?? []).compactMap(\.stringValue)
            let subresource = resource.split(separator: "/").dropFirst().first.map { "*/\($0)" }
            guard resources.contains("*") || resources.contains(resource) || subresource.map(resources.contains) == true else { return false }
            let names = (rule["resourceNames"]?.arrayValue ?? []).compactMap(\.stringValue)
            return names.isEmpty || name.map(names.contains) == true
        }
    }
}
