import KubeCore

/// The `incidentplatforms.incidentops.io` CustomResourceDefinition, generated from the schema that also drives
/// defaulting, validation and the CR reference. `incident-operator crd` prints it; `crds/` holds a copy that a
/// test keeps identical.
public enum IncidentPlatformCRD {
    /// `incidentplatforms.incidentops.io`.
    public static let name = "\(IncidentPlatform.plural).\(IncidentPlatform.group)"

    /// The CRD object (`apiextensions.k8s.io/v1`).
    public static let definition: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": [
            "name": .string(name),
            "labels": ["app.kubernetes.io/name": "incident-operator", "app.kubernetes.io/part-of": "incidentops"],
        ],
        "spec": [
            "group": .string(IncidentPlatform.group),
            "scope": "Namespaced",
            "names": [
                "kind": .string(IncidentPlatform.kind),
                "listKind": .string("\(IncidentPlatform.kind)List"),
                "plural": .string(IncidentPlatform.plural),
                "singular": "incidentplatform",
                "shortNames": ["iplat"],
                "categories": ["incidentops"],
            ],
            "versions": [[
                "name": .string(IncidentPlatform.version),
                "served": true,
                "storage": true,
                "subresources": ["status": [:]],
                "additionalPrinterColumns": [
                    ["name": "Phase", "type": "string", "jsonPath": ".status.phase",
                     "description": "Pending, Progressing, Ready, Degraded or Invalid."],
                    ["name": "Ready", "type": "string", "jsonPath": ".status.ready",
                     "description": "Ready components out of all enabled components."],
                    ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
                ],
                "schema": ["openAPIV3Schema": root.openAPI],
            ]],
        ],
    ]

    /// The CRD as the YAML document committed in `crds/`.
    public static var yaml: String { YAML.emit(definition) }

    /// The whole object: apiVersion, kind, metadata, spec and status.
    static let root = SchemaNode(.object([
        SchemaProperty("apiVersion", SchemaNode(.string,
            "APIVersion defines the versioned schema of this representation of an object: incidentops.io/v1alpha1.")),
        SchemaProperty("kind", SchemaNode(.string, "Kind is the REST resource this object represents: IncidentPlatform.")),
        SchemaProperty("metadata", SchemaNode(.object([]),
            "Standard object metadata. The name prefixes every child object (`<name>-<component>`), so it is at most \(IncidentPlatform.maxNameLength) characters.")),
        SchemaProperty("spec", IncidentPlatformSchema.spec),
        SchemaProperty("status", IncidentPlatformStatusSchema.status),
    ]), "An IncidentPlatform: one object that the operator turns into a complete incident-management platform (four services, PostgreSQL, Prometheus, Grafana, Loki, promtail, node-exporter, autoscalers, disruption budgets and network policies).")
        .validated(by: [CELRule("size(self.metadata.name) <= \(IncidentPlatform.maxNameLength)",
                                "metadata.name must be at most \(IncidentPlatform.maxNameLength) characters: child names are <name>-<component> and must stay within 63",
                                reason: "FieldValueInvalid")])
}
