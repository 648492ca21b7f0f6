import KubeCore
import KubeRuntime

/// Maps an owned object's event to the platform keys (`namespace/name`) to reconcile.
enum ChildOwners {
    /// The owning platform: by controller owner reference, else (a retained PVC, a cluster-scoped child) by
    /// the instance label; for cluster-scoped children, every cached platform of that name whose namespace
    /// prefixes the child's name.
    static func keys(of child: JSONValue, platforms: () -> [JSONValue]) -> [String] {
        for ref in child["metadata", "ownerReferences"]?.arrayValue ?? [] where ref["controller"]?.boolValue == true {
            if ref["kind"]?.stringValue == ResourceDescriptor.incidentPlatforms.kind,
               ref["apiVersion"]?.stringValue == ResourceDescriptor.incidentPlatforms.apiVersion,
               let name = ref["name"]?.stringValue, let ns = child.namespace {
                return [Store.key(namespace: ns, name: name)]
            }
        }
        let labels = child.labels
        guard labels[PruneSet.managedByLabel] == PruneSet.managedByValue, let instance = labels[PruneSet.instanceLabel] else { return [] }
        if let ns = child.namespace, !ns.isEmpty { return [Store.key(namespace: ns, name: instance)] }
        let childName = child.name ?? ""
        return platforms().filter { p in
            p.name == instance && childName.hasPrefix("\(p.namespace ?? "")-\(instance)-")
        }.map(\.objectKey)
    }
}
