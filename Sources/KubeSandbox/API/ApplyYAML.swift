import KubeCore

/// Reads a server-side apply body sent as YAML (kubectl sends JSON, other clients send YAML).
enum ApplyYAML {
    /// Parses one YAML document; a syntax error is a 400 BadRequest naming the line.
    static func parse(_ text: String) throws -> JSONValue {
        do {
            return try YAML.parse(text)
        } catch {
            throw APIStatus(code: 400, reason: .badRequest, message: "the apply body is neither JSON nor valid YAML: \(error)")
        }
    }
}
