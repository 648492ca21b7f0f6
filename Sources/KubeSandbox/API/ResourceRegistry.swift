import Foundation
import KubeCore

/// The served resources: the built-ins plus one entry per served version of each established CRD.
final class ResourceRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var custom: [String: [ResourceType]] = [:]  // CRD name -> its served versions

    /// Every served resource type.
    var all: [ResourceType] { lock.withLock { BuiltinResources.all + custom.keys.sorted().flatMap { custom[$0] ?? [] } } }

    /// The type served at `group/version/plural`.
    func lookup(group: String, version: String, plural: String) -> ResourceType? {
        all.first { $0.descriptor.group == group && $0.descriptor.version == version && $0.descriptor.plural == plural }
    }

    /// Any served version of a resource, by group and plural (for cross-resource work like garbage collection).
    func anyVersion(storeKey: String) -> ResourceType? { all.first { $0.storeKey == storeKey } }

    /// The type of a kind in an apiVersion (`apps/v1`, `Deployment`).
    func lookup(apiVersion: String, kind: String) -> ResourceType? {
        all.first { $0.descriptor.apiVersion == apiVersion && $0.descriptor.kind == kind }
    }

    /// Whether a group/version is served.
    func serves(group: String, version: String) -> Bool {
        all.contains { $0.descriptor.group == group && $0.descriptor.version == version }
    }

    /// The groups and their versions, core group excluded, in a stable order (built-ins first).
    func groups() -> [(name: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for t in all where !t.descriptor.group.isEmpty {
            if versions[t.descriptor.group] == nil { order.append(t.descriptor.group) }
            if !(versions[t.descriptor.group]?.contains(t.descriptor.version) ?? false) {
                versions[t.descriptor.group, default: []].append(t.descriptor.version)
            }
        }
        return order.map { ($0, versions[$0] ?? []) }
    }

    /// Serves (or re-serves) the resource a CRD defines.
    func install(crd: JSONValue) {
        guard let name = crd.name else { return }
        let types = Self.types(of: crd)
        lock.withLock { custom[name] = types.isEmpty ? nil : types }
    }

    /// Stops serving a CRD's resource.
    func uninstall(crdName: String) { lock.withLock { _ = custom.removeValue(forKey: crdName) } }

    /// The resource types a CRD defines, one per served version.
    static func types(of crd: JSONValue) -> [ResourceType] {
        guard let group = crd["spec", "group"]?.stringValue, let plural = crd["spec", "names", "plural"]?.stringValue,
              let kind = crd["spec", "names", "kind"]?.stringValue else { return [] }
        let singular = crd["spec", "names", "singular"]?.stringValue ?? kind.lowercased()
        let namespaced = crd["spec", "scope"]?.stringValue != "Cluster"
        let shortNames = (crd["spec", "names", "shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)
        let categories = (crd["spec", "names", "categories"]?.arrayValue ?? []).compactMap(\.stringValue)
        return (crd["spec", "versions"]?.arrayValue ?? []).compactMap { v -> ResourceType? in
            guard let version = v["name"]?.stringValue, v["served"]?.boolValue != false else { return nil }
            let columns = (v["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { c -> PrinterColumn? in
                guard let n = c["name"]?.stringValue, let path = c["jsonPath"]?.stringValue else { return nil }
                var column = PrinterColumn.jsonPath(n, path, type: c["type"]?.stringValue ?? "string",
                                                    description: c["description"]?.stringValue ?? "", priority: c["priority"]?.intValue ?? 0)
                column.format = c["format"]?.stringValue ?? ""
                return column
            }
            return ResourceType(
                descriptor: ResourceDescriptor(group: group, version: version, kind: kind, plural: plural, namespaced: namespaced),
                singular: singular, shortNames: shortNames, categories: categories,
                hasStatus: v["subresources", "status"] != nil, columns: columns,
                schema: v["schema", "openAPIV3Schema"], isCustom: true)
        }
    }
}
