import KubeCore

/// One step of a field path, as structured-merge-diff names it in `managedFields`.
enum FieldPathElement: Hashable, Sendable, Comparable {
    /// A field of an object: `f:replicas`.
    case field(String)
    /// An item of an associative list, by its key fields: `k:{"name":"app"}`.
    case key(JSONValue)
    /// An item of a set list, by its value: `v:"finalizer.example.com"`.
    case value(JSONValue)
    /// An item of a list by position: `i:0` (only for items that lack their key fields).
    case index(Int)

    /// The `fieldsV1` form: `f:name`, `k:{...}`, `v:...`, `i:0`.
    var encoded: String {
        switch self {
        case .field(let name): return "f:" + name
        case .key(let key): return "k:" + key.jsonString()
        case .value(let value): return "v:" + value.jsonString()
        case .index(let i): return "i:\(i)"
        }
    }

    /// Parses the `fieldsV1` form; nil for anything else.
    init?(encoded: String) {
        let body = String(encoded.dropFirst(2))
        switch encoded.prefix(2) {
        case "f:": self = .field(body)
        case "k:":
            guard let key = try? JSONValue(json: body), key.objectValue != nil else { return nil }
            self = .key(key)
        case "v:":
            guard let value = try? JSONValue(json: body) else { return nil }
            self = .value(value)
        case "i:":
            guard let i = Int(body) else { return nil }
            self = .index(i)
        default: return nil
        }
    }

    /// The form of conflict messages: `.image`, `[name="app"]`, `[=value]`, `[0]`.
    var display: String {
        switch self {
        case .field(let name): return "." + name
        case .key(let key):
            let members = (key.objectValue ?? [:]).sorted { $0.key < $1.key }
            return "[" + members.map { "\($0.key)=\($0.value.jsonString())" }.joined(separator: ",") + "]"
        case .value(let value): return "[=\(value.jsonString())]"
        case .index(let i): return "[\(i)]"
        }
    }

    static func < (lhs: FieldPathElement, rhs: FieldPathElement) -> Bool { lhs.encoded < rhs.encoded }
}

/// A path from the object root: `[.field("spec"), .field("replicas")]`.
typealias FieldPath = [FieldPathElement]

extension Array where Element == FieldPathElement {
    /// `.spec.template.spec.containers[name="app"].image`
    var display: String { map(\.display).joined() }
}

/// A set of owned field paths: what one manager owns, serialized as `fieldsV1`.
///
/// Every path in the set is a member (owned); intermediate objects are owned only when listed themselves
/// (the `"."` entry of `fieldsV1`).
struct FieldSet: Hashable, Sendable {
    var paths: Set<FieldPath>

    init(_ paths: Set<FieldPath> = []) { self.paths = paths }

    var isEmpty: Bool { paths.isEmpty }

    func union(_ other: FieldSet) -> FieldSet { FieldSet(paths.union(other.paths)) }
    func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(paths.subtracting(other.paths)) }
    func intersection(_ other: FieldSet) -> FieldSet { FieldSet(paths.intersection(other.paths)) }

    /// Whether some member lies strictly below `path`.
    func hasDescendant(of path: FieldPath) -> Bool {
        paths.contains { $0.count > path.count && Array($0.prefix(path.count)) == path }
    }

    /// The `fieldsV1` object: `{"f:spec": {"f:replicas": {}, "f:template": {...}}}`.
    var fieldsV1: JSONValue { Self.encode(paths.map { $0[...] }) }

    private static func encode(_ paths: [ArraySlice<FieldPathElement>]) -> JSONValue {
        var groups: [FieldPathElement: [ArraySlice<FieldPathElement>]] = [:]
        for path in paths {
            guard let first = path.first else { continue }
            groups[first, default: []].append(path.dropFirst())
        }
        var node: [String: JSONValue] = [:]
        for (element, rests) in groups {
            let children = rests.filter { !$0.isEmpty }
            var child = encode(children)
            if !children.isEmpty && rests.contains(where: \.isEmpty) { child["."] = .object([:]) }
            node[element.encoded] = child
        }
        return .object(node)
    }

    /// Reads a `fieldsV1` object; unknown keys are skipped.
    init(fieldsV1: JSONValue) {
        var paths: Set<FieldPath> = []
        Self.decode(fieldsV1, prefix: [], into: &paths)
        self.init(paths)
    }

    private static func decode(_ node: JSONValue, prefix: FieldPath, into paths: inout Set<FieldPath>) {
        guard let members = node.objectValue else { return }
        for (key, child) in members {
            if key == "." {
                if !prefix.isEmpty { paths.insert(prefix) }
                continue
            }
            guard let element = FieldPathElement(encoded: key) else { continue }
            let path = prefix + [element]
            if child.objectValue?.isEmpty ?? true {
                paths.insert(path)
            } else {
                decode(child, prefix: path, into: &paths)
            }
        }
    }
}
