import Foundation
import KubeCore

/// A field selector (`?fieldSelector=metadata.name=web,status.phase!=Running`): a conjunction of equality
/// tests on the few fields the API server indexes for a kind.
///
/// Every kind supports `metadata.name` and `metadata.namespace`; some kinds support more (pods:
/// `spec.nodeName`, `status.phase`, ...; events: `involvedObject.*`, `reason`, `type`, ...; secrets: `type`).
/// A missing field compares as the empty string, like the server.
struct FieldSelector: Sendable, Equatable, CustomStringConvertible {
    /// One `field=value` or `field!=value` test.
    struct Requirement: Sendable, Equatable {
        var field: String
        var value: String
        var negated: Bool
    }

    var requirements: [Requirement]

    /// The selector that matches everything.
    static let everything = FieldSelector(requirements: [])

    init(requirements: [Requirement]) { self.requirements = requirements }

    /// Parses `a=b,c==d,e!=f` (values may escape `\,` `\=` `\\`) and checks each field against the fields
    /// supported for `kind` (`nil`: only the metadata fields every kind supports).
    ///
    /// - Throws: `APIStatus` 400 BadRequest, e.g. `field label not supported: spec.foo`.
    init(parsing text: String, kind: String? = nil) throws {
        var parsed: [Requirement] = []
        for term in Self.splitUnescaped(text, on: ",") {
            let trimmed = term.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let (field, op, rawValue) = Self.splitTerm(trimmed) else {
                throw APIStatus(code: 400, reason: .badRequest,
                                message: "invalid selector: '\(text)'; can't understand '\(trimmed)'")
            }
            let fieldName = field.trimmingCharacters(in: .whitespaces)
            guard Self.supportedFields(kind: kind).contains(fieldName) else {
                throw APIStatus(code: 400, reason: .badRequest, message: "field label not supported: \(fieldName)")
            }
            parsed.append(Requirement(field: fieldName, value: Self.unescape(rawValue.trimmingCharacters(in: .whitespaces)), negated: op == "!="))
        }
        self.init(requirements: parsed)
    }

    /// Whether `object` satisfies every requirement.
    func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { r in
            let actual = Self.fieldValue(r.field, in: object)
            return r.negated ? actual != r.value : actual == r.value
        }
    }

    var description: String {
        requirements.map { "\($0.field)\($0.negated ? "!=" : "=")\($0.value)" }.joined(separator: ",")
    }

    // MARK: Fields

    private static let common: Set<String> = ["metadata.name", "metadata.namespace"]
    private static let byKind: [String: Set<String>] = [
        "Pod": ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        "Event": ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                  "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                  "reason", "reportingComponent", "source", "type"],
        "Secret": ["type"],
        "Namespace": ["status.phase"],
        "Node": ["spec.unschedulable"],
        "ReplicaSet": ["status.replicas"],
    ]

    /// The fields a selector may use for `kind`.
    static func supportedFields(kind: String?) -> Set<String> {
        common.union(kind.flatMap { byKind[$0] } ?? [])
    }

    /// The value of a dotted field as the server compares it: scalars as strings, missing as "".
    static func fieldValue(_ field: String, in object: JSONValue) -> String {
        if field == "source" { return object["source", "component"]?.stringValue ?? "" }
        if field == "spec.hostNetwork", object["spec", "hostNetwork"] == nil { return "false" }
        switch object[path: field.split(separator: ".").map(String.init)] {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        default: return ""
        }
    }

    // MARK: Lexing

    private static func splitUnescaped(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                current.append(c)
                escaped = true
            } else if c == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }

    /// Splits `field op value` at the first unescaped `!=`, `==` or `=`.
    private static func splitTerm(_ term: String) -> (String, String, String)? {
        let chars = Array(term)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            for op in ["!=", "==", "="] {
                let opChars = Array(op)
                if i + opChars.count <= chars.count, Array(chars[i..<i + opChars.count]) == opChars {
                    let field = String(chars[..<i])
                    guard !field.isEmpty else { return nil }
                    return (field, op, String(chars[(i + opChars.count)...]))
                }
            }
            i += 1
        }
        return nil
    }

    private static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped { out.append(c); escaped = false }
            else if c == "\\" { escaped = true }
            else { out.append(c) }
        }
        return out
    }
}
