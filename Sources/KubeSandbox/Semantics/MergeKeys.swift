import KubeCore

/// How lists and maps of one kind merge: the `patchMergeKey` / `x-kubernetes-list-map-keys` table that
/// strategic merge patch and server-side apply share.
///
/// Built-in kinds use a path table of the list merge keys kubectl relies on; custom resources use their
/// schema (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`) when one is
/// given, else every list is atomic. Paths are field names only, list positions left out:
/// `["spec", "template", "spec", "containers", "ports"]`.
struct MergeKeys: Sendable {
    /// How a list merges.
    enum ListType: Equatable, Sendable {
        /// Replaced as a whole (the default for lists without a merge key).
        case atomic
        /// A list of scalars merged as a set (`finalizers`).
        case set
        /// A list of objects merged item by item, identified by these key fields (SSA uses all of them,
        /// strategic merge patch the first, its `patchMergeKey`).
        case map(keys: [String])
    }

    /// The object's kind (`Deployment`), which selects the built-in table.
    var kind: String?
    /// The CRD version's `openAPIV3Schema`, for custom resources.
    var schema: JSONValue?
    /// Whether the kind is built in (its table applies); custom resources without a schema have atomic lists.
    var isBuiltIn: Bool

    init(kind: String?, schema: JSONValue? = nil, isBuiltIn: Bool = true) {
        self.kind = kind
        self.schema = schema
        self.isBuiltIn = isBuiltIn
    }

    /// The merge keys for `object`, read from its `kind` and `apiVersion`.
    init(for object: JSONValue?, schema: JSONValue? = nil) {
        self.init(kind: object?["kind"]?.stringValue, schema: schema,
                  isBuiltIn: Self.isBuiltIn(apiVersion: object?["apiVersion"]?.stringValue ?? "v1"))
    }

    /// Whether `apiVersion` belongs to a built-in group: the core group, a group without a dot (`apps`,
    /// `policy`, `autoscaling`) or a `*.k8s.io` group.
    static func isBuiltIn(apiVersion: String) -> Bool {
        let parts = apiVersion.split(separator: "/")
        guard parts.count == 2 else { return true }
        let group = parts[0]
        return !group.contains(".") || group.hasSuffix(".k8s.io")
    }

    /// Default values of key fields that the server fills in before merging (`protocol: TCP` of ports).
    static let keyDefaults: [String: JSONValue] = ["protocol": "TCP"]

    /// How the list at `path` merges.
    func listType(at path: [String]) -> ListType {
        if path == ["metadata", "finalizers"] { return .set }
        if path == ["metadata", "ownerReferences"] { return .map(keys: ["uid"]) }
        if let schema, let listSchema = Self.schema(schema, at: path) {
            switch listSchema["x-kubernetes-list-type"]?.stringValue {
            case "set": return .set
            case "map":
                let keys = listSchema["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
                return keys.isEmpty ? .atomic : .map(keys: keys)
            default: return .atomic
            }
        }
        if schema != nil || !isBuiltIn { return .atomic }
        return builtInListType(at: path)
    }

    /// Whether the map at `path` is replaced as a whole (a `LabelSelector`, `x-kubernetes-map-type: atomic`).
    func isAtomicMap(at path: [String]) -> Bool {
        if let schema, let mapSchema = Self.schema(schema, at: path) {
            return mapSchema["x-kubernetes-map-type"]?.stringValue == "atomic"
                || mapSchema["x-kubernetes-structure-type"]?.stringValue == "atomic"
        }
        guard schema == nil, isBuiltIn, let kind else { return false }
        switch kind {
        case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "PodDisruptionBudget":
            return path == ["spec", "selector"]
        case "NetworkPolicy":
            return path == ["spec", "podSelector"]
        default:
            return false
        }
    }

    private func builtInListType(at path: [String]) -> ListType {
        guard let last = path.last else { return .atomic }
        let parent = Array(path.dropLast())
        if last == "conditions" && parent.last == "status" { return .map(keys: ["type"]) }
        if isPodSpec(parent) {
            switch last {
            case "containers", "initContainers", "ephemeralContainers", "volumes", "imagePullSecrets",
                 "resourceClaims", "schedulingGates":
                return .map(keys: ["name"])
            case "hostAliases": return .map(keys: ["ip"])
            case "topologySpreadConstraints": return .map(keys: ["topologyKey", "whenUnsatisfiable"])
            default: return .atomic
            }
        }
        if let containerList = parent.last, ["containers", "initContainers", "ephemeralContainers"].contains(containerList),
           isPodSpec(Array(parent.dropLast())) {
            switch last {
            case "ports": return .map(keys: ["containerPort", "protocol"])
            case "env": return .map(keys: ["name"])
            case "volumeMounts": return .map(keys: ["mountPath"])
            case "volumeDevices": return .map(keys: ["devicePath"])
            case "resizePolicy": return .map(keys: ["resourceName"])
            default: return .atomic
            }
        }
        switch (kind, path) {
        case ("Service", ["spec", "ports"]): return .map(keys: ["port", "protocol"])
        case ("ServiceAccount", ["secrets"]): return .map(keys: ["name"])
        case ("Node", ["status", "addresses"]): return .map(keys: ["type"])
        case ("Node", ["spec", "taints"]): return .map(keys: ["key", "effect"])
        default: return .atomic
        }
    }

    /// Whether `path` is a PodSpec: a Pod's `spec`, or any pod template's `template.spec`.
    private func isPodSpec(_ path: [String]) -> Bool {
        if kind == "Pod" && path == ["spec"] { return true }
        return path.count >= 2 && path.suffix(2) == ["template", "spec"]
    }

    /// The sub-schema at a field-name path, stepping through `items` of arrays and `additionalProperties`
    /// of maps; `nil` where the schema says nothing.
    static func schema(_ root: JSONValue, at path: [String]) -> JSONValue? {
        var current = root
        for name in path {
            while current["type"]?.stringValue == "array", let items = current["items"] { current = items }
            if let property = current["properties", name] {
                current = property
            } else if let additional = current["additionalProperties"], additional.objectValue != nil {
                current = additional
            } else {
                return nil
            }
        }
        return current
    }
}
