import KubeCore

/// Turns a raw `IncidentPlatform` object (JSON, as read from a file or the API) into a defaulted, validated
/// ``IncidentPlatform`` in one pass, reporting every problem at once, each as `path: problem and fix`.
///
/// ```swift
/// switch PlatformSpecLoader.load(object) {
/// case .success(let platform): render(platform)
/// case .failure(let errors): print(errors)   // one "path: problem and fix" per line
/// }
/// ```
public enum PlatformSpecLoader {
    /// Top-level fields of the object; `status` is accepted and ignored (the controller owns it).
    static let topLevelFields = ["apiVersion", "kind", "metadata", "spec", "status"]

    /// Defaults and validates `object`. `defaultNamespace` is used when `metadata.namespace` is absent.
    public static func load(_ object: JSONValue, defaultNamespace: String = "default") -> Result<IncidentPlatform, PlatformValidationErrors> {
        var errors: [PlatformValidationError] = []
        guard let members = object.objectValue else {
            return .failure(PlatformValidationErrors([PlatformValidationError(
                path: "(document)", message: "must be an IncidentPlatform object, got \(SchemaNode.describe(object))")]))
        }
        for key in members.keys.sorted() where !topLevelFields.contains(key) {
            let suggestion = SchemaNode.closest(to: key, in: topLevelFields).map { " (did you mean \"\($0)\"?)" } ?? ""
            errors.append(PlatformValidationError(
                path: key, message: "unknown field; known fields are: \(topLevelFields.joined(separator: ", "))\(suggestion)"))
        }
        if object.apiVersion != IncidentPlatform.apiVersion {
            errors.append(PlatformValidationError(path: "apiVersion", message: "must be \"\(IncidentPlatform.apiVersion)\", got \(describe(object["apiVersion"]))"))
        }
        if object.kind != IncidentPlatform.kind {
            errors.append(PlatformValidationError(path: "kind", message: "must be \"\(IncidentPlatform.kind)\", got \(describe(object["kind"]))"))
        }
        let name = object.name ?? ""
        validateName(object["metadata", "name"], errors: &errors)
        if let namespace = object["metadata", "namespace"], !namespace.isNull, !isNamespaceName(namespace) {
            errors.append(PlatformValidationError(path: "metadata.namespace",
                message: "must be a namespace name (lowercase letters, digits and '-', at most 63 characters), got \(describe(namespace))"))
        }

        let raw = object["spec"]
        let defaulted = IncidentPlatformSchema.spec.defaulted(raw, at: "spec", errors: &errors) ?? [:]
        let spec = PlatformSpecDecoder(json: defaulted).spec
        PlatformSpecValidator(spec: spec, reported: errors, json: defaulted).validate(into: &errors)

        guard errors.isEmpty else { return .failure(PlatformValidationErrors(errors)) }
        return .success(IncidentPlatform(
            name: name, namespace: object.namespace ?? defaultNamespace, uid: object.uid,
            generation: object.generation, labels: object.labels, spec: spec))
    }

    /// Defaults and validates only a `spec` object (for callers that already hold the metadata).
    public static func loadSpec(_ spec: JSONValue?) -> Result<IncidentPlatformSpec, PlatformValidationErrors> {
        var errors: [PlatformValidationError] = []
        let defaulted = IncidentPlatformSchema.spec.defaulted(spec, at: "spec", errors: &errors) ?? [:]
        let typed = PlatformSpecDecoder(json: defaulted).spec
        PlatformSpecValidator(spec: typed, reported: errors, json: defaulted).validate(into: &errors)
        return errors.isEmpty ? .success(typed) : .failure(PlatformValidationErrors(errors))
    }

    private static func validateName(_ value: JSONValue?, errors: inout [PlatformValidationError]) {
        guard let value, !value.isNull else {
            errors.append(PlatformValidationError(path: "metadata.name", message: "is required"))
            return
        }
        guard let name = value.stringValue else {
            errors.append(PlatformValidationError(path: "metadata.name", message: "must be a string, got \(SchemaNode.describe(value))"))
            return
        }
        if name.count > IncidentPlatform.maxNameLength {
            errors.append(PlatformValidationError(path: "metadata.name", message:
                "must be at most \(IncidentPlatform.maxNameLength) characters so that child names like \"<name>-incident-management\" stay within 63, got \(name.count)"))
        } else if !SchemaNode.matches(name, SchemaPatterns.dnsLabel) {
            errors.append(PlatformValidationError(path: "metadata.name", message: "\(SchemaPatterns.dnsLabelMessage), got \"\(name)\""))
        }
    }

    private static func isNamespaceName(_ value: JSONValue) -> Bool {
        guard let ns = value.stringValue else { return false }
        return ns.count <= 63 && SchemaNode.matches(ns, #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"#)
    }

    private static func describe(_ value: JSONValue?) -> String {
        value.map(SchemaNode.describe) ?? "nothing"
    }
}
