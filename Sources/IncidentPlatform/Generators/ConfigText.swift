import KubeCore

/// Serializes the configuration documents that go into ConfigMaps (prometheus.yml, loki.yaml, ...).
enum ConfigText {
    /// The document as YAML text. Until the YAML emitter lands this writes JSON, which every YAML reader accepts.
    static func yaml(_ document: JSONValue) -> String { document.prettyJSONString() + "\n" }
}
