import Foundation
import KubeCore

/// The defaulting and validation the API server applies on every write, per kind; for custom resources, the
/// CRD schema's defaults, pruning and type checks (422 Invalid naming the field).
enum ObjectDefaults {
    static func apply(_ input: JSONValue, type: ResourceType, registry: ResourceRegistry, strict: Bool, old: JSONValue?) throws -> JSONValue {
        var o = input
        let d = type.descriptor
        // Empty metadata maps and lists are omitted, as Go's `omitempty` does for every kind.
        for key in ["annotations", "labels", "finalizers", "ownerReferences"] {
            if let v = o["metadata", key], v.isNull || v.objectValue?.isEmpty == true || v.arrayValue?.isEmpty == true {
                o["metadata", key] = nil
            }
        }
        if type.isCustom, let schema = type.schema {
            if strict {
                let unknown = StructuralSchema.unknownFields(o, schema: schema)
                if !unknown.isEmpty {
                    throw APIStatus(code: 400, reason: .badRequest,
                                    message: "strict decoding error: " + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
                }
            }
            let result = StructuralSchema.validateAndDefault(o, schema: schema)
            if !result.errors.isEmpty {
                throw APIStatus.invalid(kind: d.kind, name: o.name ?? "", group: d.group, causes: result.errors)
            }
            o = result.object
            return o
        }
        try pruneTopLevel(&o, d, strict: strict)
        switch d {
        case .namespaces:
            o["spec", "finalizers"] = o["spec", "finalizers"] ?? ["kubernetes"]
            if o.deletionTimestamp == nil { o["status", "phase"] = "Active" }
            var labels = o["metadata", "labels"]?.objectValue ?? [:]
            labels["kubernetes.io/metadata.name"] = .string(o.name ?? "")
            o["metadata", "labels"] = .object(labels)
        case .deployments, .statefulSets, .replicaSets:
            if o["spec", "replicas"] == nil { o["spec", "replicas"] = 1 }
            if d == .deployments {
                if o["spec", "strategy"] == nil {
                    o["spec", "strategy"] = ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]]
                }
                if o["spec", "revisionHistoryLimit"] == nil { o["spec", "revisionHistoryLimit"] = 10 }
                if o["spec", "progressDeadlineSeconds"] == nil { o["spec", "progressDeadlineSeconds"] = 600 }
            }
            try requireSelectorMatchesTemplate(o, d)
        case .daemonSets:
            try requireSelectorMatchesTemplate(o, d)
        case .services:
            if o["spec", "type"] == nil { o["spec", "type"] = "ClusterIP" }
            if o["spec", "sessionAffinity"] == nil { o["spec", "sessionAffinity"] = "None" }
            if o["spec", "clusterIP"] == nil || o["spec", "clusterIP"]?.stringValue == "" {
                let ip = old?["spec", "clusterIP"]?.stringValue ?? randomClusterIP()
                o["spec", "clusterIP"] = .string(ip)
                o["spec", "clusterIPs"] = [.string(ip)]
            }
            if let ports = o["spec", "ports"]?.arrayValue {
                o["spec", "ports"] = .array(ports.map { p in
                    var p = p
                    if p["protocol"] == nil { p["protocol"] = "TCP" }
                    if p["targetPort"] == nil { p["targetPort"] = p["port"] ?? .null }
                    return p
                })
            }
        case .secrets:
            if o["type"] == nil { o["type"] = "Opaque" }
            if let string = o["stringData"]?.objectValue {
                var data = o["data"]?.objectValue ?? [:]
                for (k, v) in string { data[k] = .string(Data((v.stringValue ?? "").utf8).base64EncodedString()) }
                o["data"] = .object(data)
                o["stringData"] = nil
            }
        case .persistentVolumeClaims:
            if o["status", "phase"] == nil { o["status", "phase"] = "Pending" }
            if o["spec", "volumeMode"] == nil { o["spec", "volumeMode"] = "Filesystem" }
            // The DefaultStorageClass admission plugin: the sandbox's default class is `standard`.
            if old == nil && o["spec", "storageClassName"] == nil { o["spec", "storageClassName"] = "standard" }
        case .customResourceDefinitions:
            o = try crd(o, registry: registry, old: old)
        default: break
        }
        if let old { try UpdateValidation.check(old: old, new: o, type: type) }
        return o
    }

    /// The top-level fields of each built-in kind besides `apiVersion`, `kind` and `metadata`.
    private static let topLevelFields: [String: Set<String>] = [
        "ConfigMap": ["data", "binaryData", "immutable"],
        "Secret": ["data", "stringData", "type", "immutable"],
        "ServiceAccount": ["secrets", "imagePullSecrets", "automountServiceAccountToken"],
        "Endpoints": ["subsets"],
        "Event": ["involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type", "eventTime",
                  "series", "action", "related", "reportingComponent", "reportingInstance"],
        "Role": ["rules"], "ClusterRole": ["rules", "aggregationRule"],
        "RoleBinding": ["subjects", "roleRef"], "ClusterRoleBinding": ["subjects", "roleRef"],
    ]

    /// Drops unknown top-level fields of built-in kinds, as the API server's typed decoding does; with
    /// `fieldValidation=Strict` they are a 400 instead.
    private static func pruneTopLevel(_ o: inout JSONValue, _ d: ResourceDescriptor, strict: Bool) throws {
        let known = ["apiVersion", "kind", "metadata"] + (topLevelFields[d.kind] ?? ["spec", "status"])
        let unknown = (o.objectValue ?? [:]).keys.filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        if strict {
            throw APIStatus(code: 400, reason: .badRequest,
                            message: "strict decoding error: " + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
        }
        for key in unknown { o[key] = nil }
    }

    private static func randomClusterIP() -> String { "10.96.\(Int.random(in: 0...255)).\(Int.random(in: 1...254))" }

    private static func requireSelectorMatchesTemplate(_ o: JSONValue, _ d: ResourceDescriptor) throws {
        guard let selector = o["spec", "selector"] else {
            throw APIStatus.invalid(kind: d.kind, name: o.name ?? "", group: d.group, causes: [("spec.selector", "Required value")])
        }
        let parsed: LabelSelector
        do { parsed = try LabelSelector(selectorJSON: selector) } catch {
            throw APIStatus.invalid(kind: d.kind, name: o.name ?? "", group: d.group, causes: [("spec.selector", "Invalid value: \(error)")])
        }
        let labels = (o["spec", "template", "metadata", "labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        if !parsed.matches(labels) {
            throw APIStatus.invalid(kind: d.kind, name: o.name ?? "", group: d.group, causes: [(
                "spec.template.metadata.labels", "Invalid value: \(JSONValue.object(labels.mapValues { .string($0) }).jsonString()): `selector` does not match template `labels`"
            )])
        }
    }

    /// Validates a CRD and fills in its status (names accepted, established), as the apiextensions server does.
    private static func crd(_ input: JSONValue, registry: ResourceRegistry, old: JSONValue?) throws -> JSONValue {
        var o = input
        let name = o.name ?? ""
        var causes: [(field: String, message: String)] = []
        let group = o["spec", "group"]?.stringValue ?? ""
        let plural = o["spec", "names", "plural"]?.stringValue ?? ""
        if group.isEmpty { causes.append(("spec.group", "Required value")) }
        if plural.isEmpty { causes.append(("spec.names.plural", "Required value")) }
        if (o["spec", "names", "kind"]?.stringValue ?? "").isEmpty { causes.append(("spec.names.kind", "Required value")) }
        if !group.isEmpty && !plural.isEmpty && name != "\(plural).\(group)" {
            causes.append(("metadata.name", "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group"))
        }
        let versions = o["spec", "versions"]?.arrayValue ?? []
        if versions.isEmpty { causes.append(("spec.versions", "Invalid value: null: must have exactly one version marked as storage version")) }
        if versions.filter({ $0["storage"]?.boolValue == true }).count != 1 && !versions.isEmpty {
            causes.append(("spec.versions", "Invalid value: must have exactly one version marked as storage version"))
        }
        if !["Namespaced", "Cluster"].contains(o["spec", "scope"]?.stringValue ?? "") {
            causes.append(("spec.scope", "Unsupported value: \"\(o["spec", "scope"]?.stringValue ?? "")\": supported values: \"Cluster\", \"Namespaced\""))
        }
        if !causes.isEmpty {
            throw APIStatus.invalid(kind: "CustomResourceDefinition", name: name, group: "apiextensions.k8s.io", causes: causes)
        }
        if o["spec", "names", "singular"] == nil { o["spec", "names", "singular"] = .string(o["spec", "names", "kind"]?.stringValue?.lowercased() ?? "") }
        if o["spec", "names", "listKind"] == nil { o["spec", "names", "listKind"] = .string("\(o["spec", "names", "kind"]?.stringValue ?? "")List") }
        if o["spec", "conversion"] == nil { o["spec", "conversion"] = ["strategy": "None"] }
        let now = old?["status", "conditions"]?.arrayValue?.first?["lastTransitionTime"] ?? .string(Age.nowTimestamp())
        let stored = versions.filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"] }
        let previouslyStored = old?["status", "storedVersions"]?.arrayValue ?? []
        o["status"] = [
            "acceptedNames": o["spec", "names"] ?? [:],
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found", "lastTransitionTime": now],
                ["type": "Established", "status": "True", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted", "lastTransitionTime": now],
            ],
            "storedVersions": .array(Array(Set(previouslyStored + stored)).sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") }),
        ]
        return o
    }
}
