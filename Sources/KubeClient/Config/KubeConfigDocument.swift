import KubeCore

/// Turns kubeconfig text (YAML, or JSON) into a `JSONValue` tree.
enum KubeConfigDocument {
    static func parse(_ text: String, file: String) throws -> JSONValue {
        if text.drop(while: { $0.isWhitespace }).hasPrefix("{") {
            do {
                return try JSONValue(json: text)
            } catch {
                throw KubeConfigError(file: file, field: "(document)", problem: "invalid JSON: \(error)", fix: "correct the JSON syntax")
            }
        }
        do {
            return try YAML.parse(text)
        } catch let error as YAMLError {
            throw KubeConfigError(file: file, field: "(document, line \(error.line), column \(error.column))", problem: error.message,
                                  fix: "correct the YAML syntax (kubectl config view shows how kubectl reads it)")
        }
    }
}
