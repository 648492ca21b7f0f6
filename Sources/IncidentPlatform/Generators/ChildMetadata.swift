import KubeCore

/// Names, labels, selectors and owner references of one platform's children.
///
/// Labels are computed from the platform's name only, never copied from the custom resource: a CR that carries
/// Argo CD's `app.kubernetes.io/instance` tracking label must not pass it on to its children.
struct ChildMetadata: Sendable {
    /// `app.kubernetes.io/part-of` on every child.
    static let partOf = "incident-platform"
    /// `app.kubernetes.io/managed-by` on every child (the controller watches children by it).
    static let managedBy = "incident-operator"

    /// The platform's name.
    let platform: String
    /// The platform's namespace.
    let namespace: String
    /// The platform's uid; `nil` when rendering offline (no owner references then).
    let uid: String?

    /// `<platform>-<component>`.
    func name(_ component: String) -> String { "\(platform)-\(component)" }

    /// The name of a cluster-scoped child: `<namespace>-<platform>-<component>` (unique across namespaces).
    func clusterName(_ component: String) -> String { "\(namespace)-\(platform)-\(component)" }

    /// The immutable selector labels of a component's pods: name and instance only.
    func selectorLabels(_ component: PlatformComponent) -> JSONValue {
        ["app.kubernetes.io/name": .string(component.componentName), "app.kubernetes.io/instance": .string(platform)]
    }

    /// Every standard label of a component.
    func labels(_ component: PlatformComponent) -> JSONValue {
        labels(name: component.componentName, role: component.role)
    }

    /// Every standard label, for a given `app.kubernetes.io/name` and `app.kubernetes.io/component`.
    func labels(name: String, role: String) -> JSONValue {
        [
            "app.kubernetes.io/name": .string(name),
            "app.kubernetes.io/instance": .string(platform),
            "app.kubernetes.io/component": .string(role),
            "app.kubernetes.io/part-of": .string(Self.partOf),
            "app.kubernetes.io/managed-by": .string(Self.managedBy),
        ]
    }

    /// Labels that select every pod of this platform (NetworkPolicy default deny).
    var platformPodLabels: JSONValue {
        ["app.kubernetes.io/instance": .string(platform), "app.kubernetes.io/part-of": .string(Self.partOf)]
    }

    /// The owner reference to the platform (controller, blocks owner deletion), if the platform has a uid.
    var ownerReference: JSONValue? {
        guard let uid else { return nil }
        return [
            "apiVersion": .string(ResourceDescriptor.incidentPlatforms.apiVersion),
            "kind": .string(ResourceDescriptor.incidentPlatforms.kind),
            "name": .string(platform),
            "uid": .string(uid),
            "controller": true,
            "blockOwnerDeletion": true,
        ]
    }

    /// `metadata` of a namespaced child named `<platform>-<suffix>`; `owned: false` leaves out the owner
    /// reference (a retained PVC).
    func metadata(_ component: PlatformComponent, suffix: String? = nil, owned: Bool = true,
                  annotations: JSONValue? = nil) -> JSONValue {
        metadata(name: name(suffix ?? component.componentName), labels: labels(component), owned: owned,
                 annotations: annotations)
    }

    /// `metadata` of a namespaced child with the given name and labels.
    func metadata(name: String, labels: JSONValue, owned: Bool = true, annotations: JSONValue? = nil) -> JSONValue {
        var meta: JSONValue = [
            "name": .string(name),
            "namespace": .string(namespace),
            "labels": labels,
        ]
        var annotations = annotations ?? [:]
        if owned {
            if let ownerReference { meta["ownerReferences"] = [ownerReference] }
        } else {
            for (key, value) in Self.unownedAnnotations { annotations[key] = value }
        }
        if annotations.objectValue?.isEmpty == false { meta["annotations"] = annotations }
        return meta
    }

    /// Annotations on children that never have an owner reference (the retained database volume, cluster-scoped
    /// objects). Argo CD prunes only objects without an owner reference; in label-tracking mode it would take
    /// such a child for part of an Application named like the platform and delete it. These tell Argo CD to never
    /// prune or delete it and not to report it as extraneous. Harmless without Argo CD.
    static let unownedAnnotations: [String: JSONValue] = [
        "argocd.argoproj.io/sync-options": "Prune=false,Delete=false",
        "argocd.argoproj.io/compare-options": "IgnoreExtraneous",
    ]

    /// `metadata` of a cluster-scoped child: no namespace and no owner reference (a namespaced owner cannot own
    /// a cluster-scoped object; the controller's finalizer removes it).
    func clusterMetadata(_ component: PlatformComponent) -> JSONValue {
        [
            "name": .string(clusterName(component.componentName)),
            "labels": labels(component),
            "annotations": .object(Self.unownedAnnotations),
        ]
    }

    /// A Kubernetes object: apiVersion, kind, metadata, and the rest.
    static func object(_ resource: ResourceDescriptor, _ metadata: JSONValue, _ body: [String: JSONValue]) -> JSONValue {
        var object: [String: JSONValue] = body
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        object["metadata"] = metadata
        return .object(object)
    }
}
