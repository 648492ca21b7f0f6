import KubeCore

/// Serializes the configuration documents that go into ConfigMaps (prometheus.yml, loki.yaml, ...).
enum ConfigText {
    /// The document as YAML text, from the project's deterministic emitter (so it is always valid YAML).
    static func yaml(_ document: JSONValue) -> String { YAML.emit(document) }
}
