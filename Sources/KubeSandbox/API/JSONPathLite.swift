import Foundation
import KubeCore

/// The subset of JSONPath that printer columns use: `.a.b`, `[0]`, `[*]`, `['key']` and
/// `[?(@.field=="value")]`. Anything else yields no value (an empty cell), never a crash.
struct JSONPathLite: Sendable {
    private enum Step: Sendable {
        case key(String)
        case index(Int)
        case all
        case filter(path: [String], value: String)
    }

    private let steps: [Step]

    init(_ text: String) {
        var steps: [Step] = []
        var s = Substring(text.trimmingCharacters(in: .init(charactersIn: "{} ")))
        while !s.isEmpty {
            if s.hasPrefix(".") {
                s = s.dropFirst()
                let end = s.firstIndex { $0 == "." || $0 == "[" } ?? s.endIndex
                if s.startIndex != end { steps.append(.key(String(s[..<end]))) }
                s = s[end...]
            } else if s.hasPrefix("[") {
                guard let close = Self.matchingBracket(s) else { break }
                let inner = s[s.index(after: s.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                s = s[s.index(after: close)...]
                if inner == "*" { steps.append(.all) }
                else if let i = Int(inner) { steps.append(.index(i)) }
                else if inner.hasPrefix("?(@.") && inner.hasSuffix(")") {
                    let body = inner.dropFirst(4).dropLast()
                    let parts = body.components(separatedBy: "==")
                    if parts.count == 2 {
                        let path = parts[0].trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init)
                        let value = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: .init(charactersIn: "\"'"))
                        steps.append(.filter(path: path, value: value))
                    }
                } else {
                    steps.append(.key(inner.trimmingCharacters(in: .init(charactersIn: "\"'"))))
                }
            } else {
                let end = s.firstIndex { $0 == "." || $0 == "[" } ?? s.endIndex
                steps.append(.key(String(s[..<end])))
                s = s[end...]
            }
        }
        self.steps = steps
    }

    private static func matchingBracket(_ s: Substring) -> Substring.Index? {
        var depth = 0
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "[" { depth += 1 }
            if s[i] == "]" { depth -= 1; if depth == 0 { return i } }
            i = s.index(after: i)
        }
        return nil
    }

    /// Every value the path selects in `object`.
    func evaluate(_ object: JSONValue) -> [JSONValue] {
        var current = [object]
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch step {
                case .key(let k): if let c = v[k] { next.append(c) }
                case .index(let i):
                    if let a = v.arrayValue {
                        let idx = i < 0 ? a.count + i : i
                        if idx >= 0 && idx < a.count { next.append(a[idx]) }
                    }
                case .all:
                    if let a = v.arrayValue { next += a } else if let o = v.objectValue { next += o.keys.sorted().compactMap { o[$0] } }
                case .filter(let path, let value):
                    for e in v.arrayValue ?? [] {
                        let field = e[path: path]
                        let text = field?.stringValue ?? field.map { $0.jsonString() }
                        if text == value { next.append(e) }
                    }
                }
            }
            current = next
        }
        return current
    }
}
