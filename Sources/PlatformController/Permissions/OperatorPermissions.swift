import KubeCore
import IncidentPlatform

/// The one table of what the operator reads and writes: the informers are set up from it, the reconciler
/// takes its owned kinds from it, and `incident-operator rbac` (and so the Helm chart's ClusterRole) prints it.
///
/// ```swift
/// for kind in OperatorPermissions.ownedKinds { /* one informer each */ }
/// print(OperatorPermissions.clusterRoleRules.prettyJSONString())
/// ```
public enum OperatorPermissions {
    /// One rule: a resource (optionally a subresource) and the verbs used on it.
    public struct Rule: Sendable, Hashable {
        /// The resource.
        public let resource: ResourceDescriptor
        /// A subresource such as `status` or `finalizers`; nil for the resource itself.
        public let subresource: String?
        /// The verbs, in Kubernetes RBAC spelling.
        public let verbs: [String]
    }

    /// Verbs on every child kind: the informer lists and watches; the reconciler applies (`patch`, and `create`
    /// when the object is new), creates generated Secrets, and deletes children that are no longer desired.
    static let childVerbs = ["get", "list", "watch", "create", "patch", "delete"]

    /// Every kind the generators emit, in apply order. Each gets an informer filtered by
    /// `app.kubernetes.io/managed-by=incident-operator`.
    public static let ownedKinds: [ResourceDescriptor] = PlatformGenerator.applyOrder.compactMap(descriptor(forKind:))

    /// The descriptor of a child kind the generators emit, nil for anything else.
    public static func descriptor(forKind kind: String) -> ResourceDescriptor? {
        let all: [ResourceDescriptor] = [
            .networkPolicies, .serviceAccounts, .secrets, .configMaps, .persistentVolumeClaims, .clusterRoles,
            .clusterRoleBindings, .roles, .roleBindings, .services, .daemonSets, .deployments,
            .horizontalPodAutoscalers, .podDisruptionBudgets,
        ]
        return all.first { $0.kind == kind }
    }

    /// Every rule the operator needs.
    public static let rules: [Rule] = {
        var rules: [Rule] = [
            Rule(resource: .incidentPlatforms, subresource: nil, verbs: ["get", "list", "watch", "patch", "update"]),
            Rule(resource: .incidentPlatforms, subresource: "status", verbs: ["get", "patch", "update"]),
            Rule(resource: .incidentPlatforms, subresource: "finalizers", verbs: ["update"]),
            Rule(resource: .events, subresource: nil, verbs: ["create", "patch"]),
            Rule(resource: .leases, subresource: nil, verbs: ["get", "create", "update"]),
        ]
        for kind in ownedKinds { rules.append(Rule(resource: kind, subresource: nil, verbs: childVerbs)) }
        return rules
    }()

    /// The `rules` of a ClusterRole granting ``rules``: one rule per API group and verb set, resources sorted.
    public static var clusterRoleRules: JSONValue {
        struct GroupKey: Hashable { let group: String; let verbs: [String] }
        var grouped: [GroupKey: [String]] = [:]
        var order: [GroupKey] = []
        for rule in rules {
            let key = GroupKey(group: rule.resource.group, verbs: rule.verbs)
            let name = rule.subresource.map { "\(rule.resource.plural)/\($0)" } ?? rule.resource.plural
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(name)
        }
        return .array(order.map { key in
            [
                "apiGroups": [.string(key.group)],
                "resources": .array((grouped[key] ?? []).sorted().map(JSONValue.string)),
                "verbs": .array(key.verbs.map(JSONValue.string)),
            ]
        })
    }

    /// A complete ClusterRole named `name` with ``clusterRoleRules``.
    public static func clusterRole(name: String) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": ["name": .string(name), "labels": ["app.kubernetes.io/name": "incident-operator"]],
            "rules": clusterRoleRules,
        ]
    }
}
