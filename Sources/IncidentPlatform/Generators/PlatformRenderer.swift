import KubeCore

/// What `incident-operator render` does, without the I/O: read `IncidentPlatform` manifests, validate them, and
/// print every child in one of three formats. The golden test and the CLI share it.
public enum PlatformRenderer {
    /// The output formats of `render -o`.
    public enum Format: String, Sendable, CaseIterable {
        /// Multi-document YAML.
        case yaml
        /// A `v1` `List`.
        case json
        /// A KIND / NAME / NAMESPACE table with a count.
        case table
    }

    /// Every problem found in a manifest, each prefixed with where it was found.
    public struct Problems: Error, Sendable, Equatable, CustomStringConvertible {
        /// One line per problem: `FILE: spec.path: what is wrong and how to fix it`.
        public let lines: [String]
        /// The lines, one per line.
        public var description: String { lines.joined(separator: "\n") }
    }

    /// Parses and validates every `IncidentPlatform` document of a YAML (or JSON) text.
    ///
    /// - Parameters:
    ///   - text: the manifest; empty documents are skipped.
    ///   - source: the file name (or `<stdin>`) every problem is prefixed with.
    ///   - defaultNamespace: the namespace of a platform without `metadata.namespace`.
    /// - Returns: the validated platforms, or every problem of every document.
    public static func platforms(fromYAML text: String, source: String,
                                 defaultNamespace: String = "default") -> Result<[IncidentPlatform], Problems> {
        let documents: [JSONValue]
        do {
            documents = try YAML.parseDocuments(text).filter { !$0.isNull }
        } catch {
            return .failure(Problems(lines: ["\(source): \(error)"]))
        }
        guard !documents.isEmpty else {
            return .failure(Problems(lines: ["\(source): no IncidentPlatform found (the file has no YAML document)"]))
        }
        var platforms: [IncidentPlatform] = []
        var lines: [String] = []
        for (index, document) in documents.enumerated() {
            let place = documents.count == 1 ? source : "\(source) (document \(index + 1))"
            switch PlatformSpecLoader.load(document, defaultNamespace: defaultNamespace) {
            case .success(let platform): platforms.append(platform)
            case .failure(let errors): lines += errors.messages.map { "\(place): \($0)" }
            }
        }
        return lines.isEmpty ? .success(platforms) : .failure(Problems(lines: lines))
    }

    /// Every child of every platform, in apply order per platform.
    public static func objects(for platforms: [IncidentPlatform], secrets: SecretMode) -> [JSONValue] {
        platforms.flatMap { PlatformGenerator.desiredObjects(for: $0, secrets: secrets) }
    }

    /// The objects in a format; every format ends with a newline.
    public static func format(_ objects: [JSONValue], as format: Format) -> String {
        switch format {
        case .yaml:
            return YAML.emitDocuments(objects)
        case .json:
            let list: JSONValue = ["apiVersion": "v1", "kind": "List", "metadata": [:], "items": .array(objects)]
            return list.prettyJSONString() + "\n"
        case .table:
            let rows = [["KIND", "NAME", "NAMESPACE"]]
                + objects.map { [$0.kind ?? "", $0.name ?? "", $0.namespace ?? "-"] }
            let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
            var lines = rows.map { row in
                row.enumerated().map { column, cell in
                    column == 2 ? cell : cell.padding(toLength: widths[column] + 3, withPad: " ", startingAt: 0)
                }.joined()
            }
            lines.append("\(objects.count) object\(objects.count == 1 ? "" : "s")")
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
