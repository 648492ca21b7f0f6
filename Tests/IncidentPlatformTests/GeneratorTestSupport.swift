import Foundation
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
