import KubeCore

/// What one reconcile changed and what went wrong.
struct ApplyOutcome {
    var created: [String] = []
    var updated: [String] = []
    var deleted: [String] = []
    var refusals: [(reason: String, message: String)] = []
    var failures: [(reason: String, message: String)] = []
    /// The projected answers of this reconcile's applies, by child key.
    var written: [String: JSONValue] = [:]

    var changed: Bool { !(created.isEmpty && updated.isEmpty && deleted.isEmpty) }

    /// Refusals, then failures: what makes the platform Degraded.
    var problems: [(reason: String, message: String)] { refusals + failures }

    /// `created 3 (Deployment/ops/x-grafana, ...); updated 1 (...); deleted 0`.
    var summary: String {
        func part(_ verb: String, _ keys: [String]) -> String? {
            guard !keys.isEmpty else { return nil }
            let shown = keys.prefix(8).joined(separator: ", ") + (keys.count > 8 ? ", …" : "")
            return "\(verb) \(keys.count) (\(shown))"
        }
        return [part("created", created), part("updated", updated), part("deleted", deleted)].compactMap { $0 }.joined(separator: "; ")
    }
}
