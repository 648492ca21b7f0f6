/// Identifies one kind of API resource: where it is served and how it is named.
///
/// ```swift
/// let deployments = ResourceDescriptor(group: "apps", version: "v1", kind: "Deployment", plural: "deployments")
/// deployments.path(namespace: "ops", name: "web")   // /apis/apps/v1/namespaces/ops/deployments/web
/// ```
public struct ResourceDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core group.
    public var group: String
    /// The version, e.g. `v1`.
    public var version: String
    /// The kind, e.g. `Deployment`.
    public var kind: String
    /// The lower-case plural used in paths, e.g. `deployments`.
    public var plural: String
    /// Whether objects live in a namespace.
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `apps/v1`, or `v1` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `deployments.apps`, or `configmaps` for the core group: the name kubectl and RBAC use.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }

    public var description: String { qualifiedName }

    /// The URL path of the collection or of one object; `namespace` is ignored for cluster-scoped resources.
    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var p = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace, !namespace.isEmpty { p += "/namespaces/\(namespace)" }
        p += "/\(plural)"
        if let name {
            p += "/\(name)"
            if let subresource { p += "/\(subresource)" }
        }
        return p
    }
}

extension ResourceDescriptor {
    public static let namespaces = ResourceDescriptor(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false)
    public static let configMaps = ResourceDescriptor(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps")
    public static let secrets = ResourceDescriptor(group: "", version: "v1", kind: "Secret", plural: "secrets")
    public static let services = ResourceDescriptor(group: "", version: "v1", kind: "Service", plural: "services")
    public static let serviceAccounts = ResourceDescriptor(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts")
    public static let persistentVolumeClaims = ResourceDescriptor(group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims")
    public static let pods = ResourceDescriptor(group: "", version: "v1", kind: "Pod", plural: "pods")
    public static let events = ResourceDescriptor(group: "", version: "v1", kind: "Event", plural: "events")
    public static let endpoints = ResourceDescriptor(group: "", version: "v1", kind: "Endpoints", plural: "endpoints")
    public static let nodes = ResourceDescriptor(group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false)
    public static let deployments = ResourceDescriptor(group: "apps", version: "v1", kind: "Deployment", plural: "deployments")
    public static let daemonSets = ResourceDescriptor(group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets")
    public static let statefulSets = ResourceDescriptor(group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets")
    public static let replicaSets = ResourceDescriptor(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets")
    public static let horizontalPodAutoscalers = ResourceDescriptor(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers")
    public static let podDisruptionBudgets = ResourceDescriptor(group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets")
    public static let networkPolicies = ResourceDescriptor(group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies")
    public static let roles = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles")
    public static let roleBindings = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings")
    public static let clusterRoles = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false)
    public static let clusterRoleBindings = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false)
    public static let leases = ResourceDescriptor(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases")
    public static let customResourceDefinitions = ResourceDescriptor(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false)
    /// The project's own custom resource.
    public static let incidentPlatforms = ResourceDescriptor(group: "incidentops.io", version: "v1alpha1", kind: "IncidentPlatform", plural: "incidentplatforms")
}
