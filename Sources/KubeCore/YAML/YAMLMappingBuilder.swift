/// Collects the entries of one mapping: explicit keys (each once) and the mappings merge keys (`<<`) bring in.
/// Explicit keys win over merged ones; among merged mappings, later `<<` keys win over earlier ones, and in a
/// list (`<<: [*a, *b]`) the first mapping wins, as PyYAML does.
struct YAMLMappingBuilder {
    private var explicit: [String: JSONValue] = [:]
    private var merged: [[String: JSONValue]] = []  // lowest priority first

    /// Adds a key; `false` when the mapping already has it.
    mutating func add(_ key: String, _ value: JSONValue) -> Bool {
        guard explicit[key] == nil else { return false }
        explicit[key] = value
        return true
    }

    /// Adds the value of a merge key; `false` when it is neither a mapping nor a list of mappings.
    mutating func merge(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let o):
            merged.append(o)
            return true
        case .array(let items):
            var mappings: [[String: JSONValue]] = []
            for item in items.reversed() {
                guard case .object(let o) = item else { return false }
                mappings.append(o)
            }
            merged += mappings
            return true
        default:
            return false
        }
    }

    /// The mapping.
    func build() -> JSONValue {
        guard !merged.isEmpty else { return .object(explicit) }
        var result: [String: JSONValue] = [:]
        for source in merged { result.merge(source) { _, new in new } }
        result.merge(explicit) { _, new in new }
        return .object(result)
    }
}
