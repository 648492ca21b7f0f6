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

    /// What the Roles and ClusterRoles the operator creates grant, as (API group, resource, verbs).
    ///
    /// Kubernetes lets a user grant only permissions it holds itself (RBAC escalation prevention), so the operator
    /// needs these too, although its own code never uses them. Derived from the generator's output for a platform
    /// with every component enabled, so a new rule in a generated Role cannot be forgotten here.
    public static let grantedByChildren: [(group: String, resource: String, verbs: [String])] = {
        let object: JSONValue = [
            "apiVersion": .string(IncidentPlatform.apiVersion), "kind": .string(IncidentPlatform.kind),
            "metadata": ["name": "rbac", "namespace": "default"],
        ]
        guard case .success(let platform) = PlatformSpecLoader.load(object) else { return [] }
        var granted: [(group: String, resource: String, verbs: [String])] = []
        for child in PlatformGenerator.desiredObjects(for: platform, secrets: .omit)
        where child.kind == "Role" || child.kind == "ClusterRole" {
            for rule in child["rules"]?.arrayValue ?? [] {
                let verbs = rule["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? []
                for group in rule["apiGroups"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    for resource in rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                        granted.append((group, resource, verbs))
                    }
                }
            }
        }
        return granted
    }()

    /// RBAC verbs in the order they are printed.
    static let verbOrder = ["get", "list", "watch", "create", "update", "patch", "delete"]

    /// The `rules` of a ClusterRole granting ``rules`` and ``grantedByChildren``: the verbs of each resource
    /// united, then one rule per API group and verb set, resources sorted.
    public static var clusterRoleRules: JSONValue {
        struct ResourceKey: Hashable { let group: String; let name: String }
        struct GroupKey: Hashable { let group: String; let verbs: [String] }
        var verbsByResource: [ResourceKey: Set<String>] = [:]
        var resourceOrder: [ResourceKey] = []
        func add(_ key: ResourceKey, _ verbs: [String]) {
            if verbsByResource[key] == nil { resourceOrder.append(key) }
            verbsByResource[key, default: []].formUnion(verbs)
        }
        for rule in rules {
            let name = rule.subresource.map { "\(rule.resource.plural)/\($0)" } ?? rule.resource.plural
            add(ResourceKey(group: rule.resource.group, name: name), rule.verbs)
        }
        for grant in grantedByChildren { add(ResourceKey(group: grant.group, name: grant.resource), grant.verbs) }

        var grouped: [GroupKey: [String]] = [:]
        var order: [GroupKey] = []
        for resource in resourceOrder {
            let verbs = verbsByResource[resource] ?? []
            let ordered = verbOrder.filter(verbs.contains) + verbs.subtracting(verbOrder).sorted()
            let key = GroupKey(group: resource.group, verbs: ordered)
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(resource.name)
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
