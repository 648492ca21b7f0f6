import KubeCore

/// Reads a server-side apply body sent as YAML.
enum ApplyYAML {
    static func parse(_ text: String) throws -> JSONValue {
        throw APIStatus(code: 415, reason: .unsupportedMediaType, message: "apply bodies in YAML are not supported yet; send the object as JSON")
    }
}
