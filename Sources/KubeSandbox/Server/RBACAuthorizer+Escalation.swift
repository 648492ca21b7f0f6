import KubeCore

extension RBACAuthorizer {
    /// RBAC escalation prevention, as the API server's RBAC storage does it on create and update (POST, PUT,
    /// PATCH and server-side apply alike):
    /// - a Role or ClusterRole may be written only by a user who already holds every permission it grants (in
    ///   the Role's namespace; cluster-wide for a ClusterRole), or who may `escalate` roles/clusterroles; a
    ///   ClusterRole with an `aggregationRule` needs every permission there is;
    /// - a RoleBinding or ClusterRoleBinding only by a user who holds every permission of the role it references
    ///   (in the binding's namespace; cluster-wide for a ClusterRoleBinding), or who may `bind` that role.
    ///
    /// An update that changes only what the garbage collector changes (owner references, finalizers, managed
    /// fields) is not checked. Other kinds pass.
    /// - Parameters:
    ///   - object: the object as it would be stored.
    ///   - old: the stored object an update replaces; nil for a create.
    /// - Throws: `APIStatus` 403 Forbidden naming the missing rules, worded like the API server; 400 BadRequest
    ///   when a binding's role does not exist (and the user may not `bind` it).
    func confirmNoEscalation(user: String, _ info: APIRequestInfo, object: JSONValue, old: JSONValue?) throws {
        let d = info.type.descriptor
        guard d.group == "rbac.authorization.k8s.io", user != Self.superuser else { return }
        if let old, Self.onlyGarbageCollectorFieldsChange(from: old, to: object) { return }
        let namespace = d.namespaced ? object.namespace : nil
        let name = object.name ?? ""
        switch d.plural {
        case "roles", "clusterroles":
            if allowed(user: user, verb: "escalate", group: d.group, resource: d.plural, namespace: info.namespace, name: info.name) { return }
            let held = rules(of: user, namespace: namespace)
            try confirm(held: held, grants: RBACPolicyRule.rules(of: object), user: user, info, name: name)
            if !(object["aggregationRule", "clusterRoleSelectors"]?.arrayValue ?? []).isEmpty,
               !RBACPolicyRule.missing(held: held, granted: RBACPolicyRule.fullAuthority).isEmpty {
                throw forbidden(info, name: name, "must have cluster-admin privileges to use the aggregationRule")
            }
        case "rolebindings", "clusterrolebindings":
            let roleRef = object["roleRef"]
            let kind = roleRef?["kind"]?.stringValue ?? ""
            let roleName = roleRef?["name"]?.stringValue ?? ""
            let roleResource = kind == "Role" ? "roles" : "clusterroles"
            if allowed(user: user, verb: "bind", group: roleRef?["apiGroup"]?.stringValue ?? d.group, resource: roleResource,
                       namespace: namespace, name: roleName) { return }
            guard let role = role(roleRef, namespace: namespace) else {
                throw APIStatus(code: 400, reason: .badRequest, message: "\(kind.lowercased()).\(d.group) \"\(roleName)\" not found")
            }
            try confirm(held: rules(of: user, namespace: namespace), grants: RBACPolicyRule.rules(of: role), user: user, info, name: name)
        default:
            return
        }
    }

    private func confirm(held: [RBACPolicyRule], grants: [RBACPolicyRule], user: String, _ info: APIRequestInfo, name: String) throws {
        let missing = RBACPolicyRule.missing(held: held, granted: grants)
        guard !missing.isEmpty else { return }
        let groups = Self.groups(of: user).map { "\"\($0)\"" }.joined(separator: " ")
        throw forbidden(info, name: name, "user \"\(user)\" (groups=[\(groups)]) is attempting to grant RBAC permissions not currently held:\n"
            + missing.joined(separator: "\n"))
    }

    private func forbidden(_ info: APIRequestInfo, name: String, _ reason: String) -> APIStatus {
        let d = info.type.descriptor
        return APIStatus(code: 403, reason: .forbidden, message: "\(d.plural).\(d.group) \"\(name)\" is forbidden: \(reason)",
                         details: ["name": .string(name), "group": .string(d.group), "kind": .string(d.plural)])
    }

    /// Whether `new` differs from `old` only in owner references, finalizers or managed fields (the API server's
    /// `IsOnlyMutatingGCFields`).
    static func onlyGarbageCollectorFieldsChange(from old: JSONValue, to new: JSONValue) -> Bool {
        var copy = new
        for key in ["ownerReferences", "finalizers", "managedFields"] {
            copy["metadata", key] = old["metadata", key]
        }
        return copy == old
    }
}
