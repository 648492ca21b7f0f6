import Foundation
import Testing
@testable import IncidentPlatform
import KubeCore

/// Helpers shared by the generator tests.
enum GeneratorTestSupport {
    /// The repository root (three levels above this file).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Reads a file relative to the repository root.
    static func read(_ relativePath: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The metric names listed in the tables of `docs/metrics.md` (first backticked cell of each table row).
    static func documentedMetrics() throws -> Set<String> {
        var names: Set<String> = []
        for line in try read("docs/metrics.md").split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(3)
            if let end = cell.firstIndex(of: "`") { names.insert(String(cell[..<end])) }
        }
        return names
    }
}

/// A small PromQL/LogQL scanner: the metric names and the label names of an expression.
enum QueryScanner {
    private static let keywords: Set<String> = [
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
    ]

    /// Metric names used in a PromQL expression: identifiers that are not functions, keywords, label names in
    /// matchers or grouping clauses, strings, ranges or dashboard variables.
    static func metricNames(in expr: String) -> Set<String> {
        var text = removeStrings(expr)
        text = remove(text, open: "{", close: "}")
        text = remove(text, open: "[", close: "]")
        text = removeGroupings(text)
        text = text.replacingOccurrences(of: #"\$\w+"#, with: " ", options: .regularExpression)
        var names: Set<String> = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isLetter || c == "_" || c == ":" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == ":" { j += 1 }
                let word = String(chars[i..<j])
                var k = j
                while k < chars.count, chars[k] == " " { k += 1 }
                let isCall = k < chars.count && chars[k] == "("
                if !isCall && !keywords.contains(word) { names.insert(word) }
                i = j
            } else if c.isNumber || c == "." {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j].isLetter || chars[j] == "." { j += 1 }  // 2e3, 5m, 1h30m
                i = j
            } else {
                i += 1
            }
        }
        return names
    }

    /// The label names used in `{...}` matchers.
    static func matcherLabels(in expr: String) -> Set<String> {
        var labels: Set<String> = []
        let text = removeStrings(expr)
        let pattern = try? NSRegularExpression(pattern: #"\{([^}]*)\}"#)
        let range = NSRange(text.startIndex..., in: text)
        for match in pattern?.matches(in: text, range: range) ?? [] {
            guard let body = Range(match.range(at: 1), in: text) else { continue }
            for part in text[body].split(separator: ",") {
                let name = part.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == " " }
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { labels.insert(trimmed) }
            }
        }
        return labels
    }

    /// Maps `x_bucket`, `x_sum`, `x_count` to `x` when `x` is a known histogram.
    static func baseName(_ name: String, known: Set<String>) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if known.contains(base) { return base }
        }
        return name
    }

    private static func removeStrings(_ s: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for ch in s {
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false; out.append("\"\"") }
            } else if ch == "\"" {
                inString = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    private static func remove(_ s: String, open: Character, close: Character) -> String {
        var out = ""
        var depth = 0
        for ch in s {
            if ch == open { depth += 1; continue }
            if ch == close { depth = max(0, depth - 1); out.append(" "); continue }
            if depth == 0 { out.append(ch) }
        }
        return out
    }

    private static func removeGroupings(_ s: String) -> String {
        s.replacingOccurrences(
            of: #"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"#, with: " ",
            options: .regularExpression)
    }
}

/// A platform under test and its rendered children.
struct RenderedPlatform {
    let platform: IncidentPlatform
    let objects: [JSONValue]

    /// Renders `demo` in namespace `ops` with uid `uid-1`, after `configure` changed the spec.
    init(uid: String? = "uid-1", secrets: SecretMode = .omit, labels: [String: String] = [:],
         _ configure: (inout IncidentPlatformSpec) -> Void = { _ in }) {
        var spec = IncidentPlatformSpec()
        configure(&spec)
        platform = IncidentPlatform(name: "demo", namespace: "ops", uid: uid, labels: labels, spec: spec)
        objects = PlatformGenerator.desiredObjects(for: platform, secrets: secrets)
    }

    /// Every object of a kind.
    func all(_ kind: String) -> [JSONValue] { objects.filter { $0.kind == kind } }

    /// The object of a kind and name, or a test failure.
    func object(_ kind: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        try #require(objects.first { $0.kind == kind && $0.name == name }, "no \(kind) \(name)", sourceLocation: sourceLocation)
    }

    /// Whether an object of a kind and name exists.
    func has(_ kind: String, _ name: String) -> Bool { objects.contains { $0.kind == kind && $0.name == name } }

    /// The first container of a workload.
    func container(_ kind: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let o = try object(kind, name, sourceLocation: sourceLocation)
        return try #require(o["spec", "template", "spec", "containers"]?.arrayValue?.first, sourceLocation: sourceLocation)
    }

    /// The `env` of a container as name → value-or-secret description.
    func env(_ deployment: String) throws -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for e in try container("Deployment", deployment)["env"]?.arrayValue ?? [] {
            if let name = e["name"]?.stringValue { result[name] = e["value"] ?? e["valueFrom"] ?? .null }
        }
        return result
    }
}

/// The `valueFrom` of a Secret-backed env var.
func secretRef(_ name: String, _ key: String) -> JSONValue {
    ["secretKeyRef": ["name": .string(name), "key": .string(key)]]
}
