/// YAML for Kubernetes manifests, kubeconfigs and Helm-style values, written in this package (no dependencies).
///
/// The parser reads the block YAML that people and tools write (mappings, sequences, plain, quoted and block
/// scalars, comments, flow collections, anchors, aliases, merge keys, tags, several documents) and resolves plain
/// scalars the way PyYAML's `safe_load` does (YAML 1.1). The emitter writes deterministic block YAML with the
/// Kubernetes key order (`apiVersion`, `kind`, `metadata`, `spec`, then the other keys sorted), quoting every
/// string that a YAML 1.1 or 1.2 reader would otherwise read as something else. See `docs/yaml.md`.
///
/// ```swift
/// let docs = try YAML.parseDocuments("a: 1\n---\nb: [x, y]\n")   // [["a": 1], ["b": ["x", "y"]]]
/// print(YAML.emit(["kind": "ConfigMap", "apiVersion": "v1", "data": ["on": "yes"]]))
/// // apiVersion: v1
/// // kind: ConfigMap
/// // data:
/// //   'on': 'yes'
/// ```
public enum YAML {
    /// Every document of a multi-document stream (`---` separated); empty documents (only comments) are skipped.
    ///
    /// - Throws: `YAMLError` with the line and column of the first problem.
    public static func parseDocuments(_ text: String) throws -> [JSONValue] {
        var parser = YAMLParser(text: text)
        return try parser.parseStream().map(\.value)
    }

    /// Exactly one document; empty input (or only comments) gives `.null`.
    ///
    /// - Throws: `YAMLError`, also when the text holds more than one document.
    public static func parse(_ text: String) throws -> JSONValue {
        var parser = YAMLParser(text: text)
        let documents = try parser.parseStream()
        guard documents.count <= 1 else {
            let second = documents[1]
            throw YAMLError(
                line: second.line, column: 1,
                message: "expected a single YAML document but found \(documents.count); "
                    + "remove the extra `---` documents or read them with YAML.parseDocuments")
        }
        return documents.first?.value ?? .null
    }

    /// One document as deterministic block YAML, ending with a newline.
    public static func emit(_ value: JSONValue) -> String {
        var emitter = YAMLEmitter()
        emitter.emitDocument(value)
        return emitter.text
    }

    /// Several documents separated by `---\n`; each ends with a newline.
    public static func emitDocuments(_ values: [JSONValue]) -> String {
        var emitter = YAMLEmitter()
        for (index, value) in values.enumerated() {
            if index > 0 { emitter.writeDocumentSeparator() }
            emitter.emitDocument(value)
        }
        return emitter.text
    }
}
