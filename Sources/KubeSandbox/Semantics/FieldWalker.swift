import KubeCore

/// The structured-merge-diff walks over an object that server-side apply needs: the owned field set of a
/// value, the comparison of two versions, the merge of an applied configuration, and the removal of fields.
///
/// Fields nobody owns are skipped everywhere: `apiVersion`, `kind`, and the server-managed metadata
/// (`name`, `namespace`, `uid`, `resourceVersion`, `creationTimestamp`, `generation`, `managedFields`, ...).
struct FieldWalker: Sendable {
    var keys: MergeKeys

    /// The result of comparing two versions of an object (structured-merge-diff's `Comparison`).
    struct Comparison: Sendable {
        /// Fields (and new intermediate objects and list items) only in the new version.
        var added = FieldSet()
        /// Leaf fields whose value changed.
        var modified = FieldSet()
        /// Fields (and intermediate objects and list items) only in the old version.
        var removed = FieldSet()
    }

    static let unownedMetadata: Set<String> = [
        "name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "clusterName",
    ]

    /// Whether the field at `names` (from the root) is never owned.
    static func isUnowned(_ names: [String]) -> Bool {
        switch names.count {
        case 1: return names[0] == "apiVersion" || names[0] == "kind"
        case 2: return names[0] == "metadata" && unownedMetadata.contains(names[1])
        default: return false
        }
    }

    /// The path element naming `item` in the list at `names`, or nil when the list is atomic.
    func element(of item: JSONValue, at index: Int, in names: [String]) -> FieldPathElement? {
        switch keys.listType(at: names) {
        case .atomic: return nil
        case .set: return .value(item)
        case .map(let keyFields):
            var key: [String: JSONValue] = [:]
            for field in keyFields {
                if let v = item[field], !v.isNull { key[field] = v } else if let d = MergeKeys.keyDefaults[field] { key[field] = d }
            }
            return key.isEmpty ? .index(index) : .key(.object(key))
        }
    }

    private func isAtomic(_ value: JSONValue, _ names: [String]) -> Bool {
        switch value {
        case .object: return keys.isAtomicMap(at: names)
        case .array: return keys.listType(at: names) == .atomic
        default: return true
        }
    }

    /// The items of a non-atomic list by their path element (the first of duplicates wins).
    private func indexed(_ list: [JSONValue], _ names: [String]) -> [(FieldPathElement, JSONValue)] {
        var seen: Set<FieldPathElement> = []
        var result: [(FieldPathElement, JSONValue)] = []
        for (i, item) in list.enumerated() {
            guard let element = element(of: item, at: i, in: names), seen.insert(element).inserted else { continue }
            result.append((element, item))
        }
        return result
    }

    // MARK: Owned fields (ToFieldSet)

    /// The fields a configuration sets: every leaf (scalar, null, atomic list or map, empty object) and
    /// every item of an associative or set list.
    func members(of object: JSONValue) -> FieldSet {
        var paths: Set<FieldPath> = []
        collectMembers(object, path: [], names: [], into: &paths)
        paths.remove([.field("metadata")])
        return FieldSet(paths)
    }

    private func collectMembers(_ value: JSONValue, path: FieldPath, names: [String], into paths: inout Set<FieldPath>) {
        switch value {
        case .object(let members) where !isAtomic(value, names) || path.isEmpty:
            for (key, child) in members {
                let childNames = names + [key]
                if Self.isUnowned(childNames) { continue }
                let childPath = path + [.field(key)]
                collectMembers(child, path: childPath, names: childNames, into: &paths)
                if child.objectValue?.isEmpty == true { paths.insert(childPath) }
            }
        case .array(let items) where !isAtomic(value, names):
            for (element, item) in indexed(items, names) {
                let itemPath = path + [element]
                if case .object = item { collectMembers(item, path: itemPath, names: names, into: &paths) }
                paths.insert(itemPath)
            }
        default:
            if !path.isEmpty { paths.insert(path) }
        }
    }

    /// `path` and everything below it in `value`.
    private func collectAll(_ value: JSONValue, path: FieldPath, names: [String], into paths: inout Set<FieldPath>) {
        if !path.isEmpty { paths.insert(path) }
        switch value {
        case .object(let members) where !isAtomic(value, names) || path.isEmpty:
            for (key, child) in members where !Self.isUnowned(names + [key]) {
                collectAll(child, path: path + [.field(key)], names: names + [key], into: &paths)
            }
        case .array(let items) where !isAtomic(value, names):
            for (element, item) in indexed(items, names) {
                collectAll(item, path: path + [element], names: names, into: &paths)
            }
        default: break
        }
    }

    // MARK: Comparison

    /// What changed from `old` to `new`.
    func compare(_ old: JSONValue, _ new: JSONValue) -> Comparison {
        var c = Comparison()
        var added: Set<FieldPath> = [], modified: Set<FieldPath> = [], removed: Set<FieldPath> = []
        compare(old, new, path: [], names: [], &added, &modified, &removed)
        for p in [[FieldPathElement.field("metadata")]] {
            added.remove(p)
            removed.remove(p)
        }
        c.added = FieldSet(added)
        c.modified = FieldSet(modified)
        c.removed = FieldSet(removed)
        return c
    }

    private func compare(_ old: JSONValue?, _ new: JSONValue?, path: FieldPath, names: [String],
                         _ added: inout Set<FieldPath>, _ modified: inout Set<FieldPath>, _ removed: inout Set<FieldPath>) {
        switch (old, new) {
        case (nil, nil): return
        case (nil, let new?): collectAll(new, path: path, names: names, into: &added)
        case (let old?, nil): collectAll(old, path: path, names: names, into: &removed)
        case (.object(let o)?, .object(let n)?) where !isAtomic(.object(n), names) || path.isEmpty:
            for key in Set(o.keys).union(n.keys) where !Self.isUnowned(names + [key]) {
                compare(o[key], n[key], path: path + [.field(key)], names: names + [key], &added, &modified, &removed)
            }
        case (.array(let o)?, .array(let n)?) where !isAtomic(.array(n), names):
            let oldItems = Dictionary(indexed(o, names), uniquingKeysWith: { a, _ in a })
            let newItems = indexed(n, names)
            for (element, item) in newItems {
                compare(oldItems[element], item, path: path + [element], names: names, &added, &modified, &removed)
            }
            let newElements = Set(newItems.map(\.0))
            for (element, item) in oldItems where !newElements.contains(element) {
                collectAll(item, path: path + [element], names: names, into: &removed)
            }
        case (let old?, let new?):
            if !Self.sameValue(old, new) { modified.insert(path) }
        }
    }

    /// Equality where 1 and 1.0 are the same number.
    static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int, .double), (.double, .int): return a.doubleValue == b.doubleValue
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { sameValue(v, $0) } ?? false }
        default: return a == b
        }
    }

    // MARK: Merge

    /// `live` with the applied configuration merged in: objects field by field, associative lists item by
    /// item (new items appended), set lists as a union, everything else replaced. `null` removes a field.
    ///
    /// - Throws: `APIStatus` 400 for an associative list item without its key fields or with a duplicate key.
    func merge(_ live: JSONValue?, _ config: JSONValue, names: [String] = [], describe: String = "") throws -> JSONValue {
        switch config {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            if let liveMembers = live?.objectValue, !keys.isAtomicMap(at: names) || names.isEmpty { result = liveMembers }
            for (key, value) in members {
                if value.isNull {
                    result[key] = nil
                } else {
                    result[key] = try merge(result[key], value, names: names + [key], describe: describe + "." + key)
                }
            }
            return .object(result)
        case .array(let items):
            switch keys.listType(at: names) {
            case .atomic:
                return config
            case .set:
                var result = live?.arrayValue ?? []
                for item in items where !result.contains(item) { result.append(item) }
                return .array(result)
            case .map(let keyFields):
                var result = live?.arrayValue ?? []
                var seen: Set<FieldPathElement> = []
                for (i, item) in items.enumerated() {
                    guard let element = element(of: item, at: i, in: names), case .key = element else {
                        let missing = keyFields.first { item[$0] == nil } ?? keyFields.joined(separator: ",")
                        throw APIStatus(code: 400, reason: .badRequest,
                                        message: "failed to create typed patch object: \(describe): element \(i): associative list with keys has an element that omits key field \"\(missing)\" (and doesn't have default value)")
                    }
                    guard seen.insert(element).inserted else {
                        throw APIStatus(code: 400, reason: .badRequest,
                                        message: "failed to create typed patch object: \(describe): duplicate entries for key \(element.display)")
                    }
                    if let index = result.indices.first(where: { self.element(of: result[$0], at: $0, in: names) == element }) {
                        result[index] = try merge(result[index], item, names: names, describe: describe + element.display)
                    } else {
                        result.append(try merge(nil, item, names: names, describe: describe + element.display))
                    }
                }
                return .array(result)
            }
        default:
            return config
        }
    }

    // MARK: Removal

    /// `object` without the field at `path`; objects and lists left empty by the removal go too.
    func removing(_ path: FieldPath, from object: JSONValue) -> JSONValue {
        var copy = object
        _ = remove(path[...], from: &copy, names: [])
        return copy
    }

    /// Removes the field; true when something was removed.
    private func remove(_ path: ArraySlice<FieldPathElement>, from value: inout JSONValue, names: [String]) -> Bool {
        guard let first = path.first else { return false }
        let rest = path.dropFirst()
        switch (first, value) {
        case (.field(let key), .object(var members)):
            guard var child = members[key] else { return false }
            if rest.isEmpty {
                members[key] = nil
            } else {
                guard remove(rest, from: &child, names: names + [key]) else { return false }
                members[key] = Self.isEmptyContainer(child) ? nil : child
            }
            value = .object(members)
            return true
        case (_, .array(var items)):
            guard let index = items.indices.first(where: { element(of: items[$0], at: $0, in: names) == first }) else { return false }
            if rest.isEmpty {
                items.remove(at: index)
            } else {
                guard remove(rest, from: &items[index], names: names) else { return false }
                if Self.isEmptyContainer(items[index]) { items.remove(at: index) }
            }
            value = .array(items)
            return true
        default:
            return false
        }
    }

    private static func isEmptyContainer(_ value: JSONValue) -> Bool {
        value.objectValue?.isEmpty == true || value.arrayValue?.isEmpty == true
    }
}
