import KubeCore

/// Turns kubeconfig text into a `JSONValue` tree.
enum KubeConfigDocument {
    /// Parses JSON (a valid kubeconfig too); YAML needs the project's YAML parser.
    static func parse(_ text: String, file: String) throws -> JSONValue {
        do {
            return try JSONValue(json: text)
        } catch let jsonError as JSONParseError {
            let trimmed = text.drop { $0.isWhitespace }
            if trimmed.hasPrefix("{") {
                throw KubeConfigError(file: file, field: "(document)", problem: "invalid JSON: \(jsonError)", fix: "correct the JSON syntax")
            }
            throw KubeConfigError(file: file, field: "(document)", problem: "YAML kubeconfigs are not readable yet (this build reads JSON kubeconfigs only)",
                                  fix: "convert it: kubectl config view --raw -o json > config.json")
        }
    }
}
