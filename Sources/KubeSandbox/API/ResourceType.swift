import KubeCore

/// Everything the sandbox knows about one served resource: where it lives, how discovery shows it, how a
/// table prints it and (for custom resources) its schema.
struct ResourceType: Sendable {
    /// Group, version, kind, plural and scope.
    var descriptor: ResourceDescriptor
    /// The lower-case singular name.
    var singular: String
    /// Short names (`cm`, `deploy`).
    var shortNames: [String] = []
    /// Categories (`all`).
    var categories: [String] = []
    /// Whether `/status` is served and the main resource ignores status.
    var hasStatus: Bool = false
    /// Whether `/scale` is served (autoscaling/v1 Scale over `spec.replicas`).
    var hasScale: Bool = false
    /// Printer columns for `as=Table` (after NAME and before AGE unless listed).
    var columns: [PrinterColumn] = []
    /// A CRD's `openAPIV3Schema`, if any.
    var schema: JSONValue?
    /// Whether this type comes from a CustomResourceDefinition.
    var isCustom: Bool = false

    /// Whether the kind has `metadata.generation` (workloads, policies, CRDs and custom resources; not
    /// ConfigMaps, Secrets, Services, Namespaces and the other core kinds).
    var tracksGeneration: Bool {
        isCustom || ["apps", "autoscaling", "policy", "networking.k8s.io", "apiextensions.k8s.io"].contains(descriptor.group)
    }

    /// Whether PUT to a missing object creates it (the real server allows it for these kinds only).
    var allowsCreateOnUpdate: Bool {
        !isCustom && [ResourceDescriptor.leases, .endpoints, .events].contains(descriptor)
    }

    /// `group/plural`, the store key of the resource (independent of the version).
    var storeKey: String { "\(descriptor.group)/\(descriptor.plural)" }

    /// The verbs discovery lists (and the only ones served for create-only kinds such as access reviews).
    var verbs: [String] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// The discovery entry (`APIResource`) of the resource and its subresources.
    var discoveryEntries: [JSONValue] {
        var main: JSONValue = [
            "name": .string(descriptor.plural), "singularName": .string(singular), "namespaced": .bool(descriptor.namespaced),
            "kind": .string(descriptor.kind), "verbs": .array(verbs.map { .string($0) }),
        ]
        if !shortNames.isEmpty { main["shortNames"] = .array(shortNames.map { .string($0) }) }
        if !categories.isEmpty { main["categories"] = .array(categories.map { .string($0) }) }
        var entries = [main]
        if hasStatus {
            entries.append([
                "name": .string("\(descriptor.plural)/status"), "singularName": "", "namespaced": .bool(descriptor.namespaced),
                "kind": .string(descriptor.kind), "verbs": ["get", "patch", "update"],
            ])
        }
        if hasScale {
            entries.append([
                "name": .string("\(descriptor.plural)/scale"), "singularName": "", "namespaced": .bool(descriptor.namespaced),
                "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"],
            ])
        }
        return entries
    }
}

/// One column of a Table answer: a header and how to compute the cell from an object.
struct PrinterColumn: Sendable {
    /// The header (`Ready`).
    var name: String
    /// The OpenAPI type (`string`, `integer`, `date`, ...).
    var type: String = "string"
    /// The OpenAPI format (`name` for the NAME column).
    var format: String = ""
    /// A description shown by `kubectl get -o wide` help.
    var description: String = ""
    /// 0 is shown by default; higher only with `-o wide`.
    var priority: Int = 0
    /// Computes the cell.
    var cell: @Sendable (JSONValue) -> JSONValue

    /// A column read from a JSONPath such as `.status.replicas` or `.status.conditions[?(@.type=="Ready")].status`.
    static func jsonPath(_ name: String, _ path: String, type: String = "string", description: String = "", priority: Int = 0) -> PrinterColumn {
        let compiled = JSONPathLite(path)
        return PrinterColumn(name: name, type: type, description: description, priority: priority) { object in
            let values = compiled.evaluate(object)
            guard let first = values.first else { return .null }
            if type == "date", let s = first.stringValue { return .string(Age.since(timestamp: s)) }
            return first
        }
    }
}
