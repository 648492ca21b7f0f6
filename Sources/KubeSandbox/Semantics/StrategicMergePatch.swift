import KubeCore

/// Strategic merge patch (`application/strategic-merge-patch+json`), as kubectl sends it for built-in kinds.
///
/// Like a JSON merge patch, except that lists with a merge key (containers by `name`, ports by
/// `containerPort`, ...; see `MergeKeys`) merge item by item, and these directives are honoured:
/// - `$patch: replace` (replace the map or the whole list), `$patch: delete` (delete the map, or the list
///   item with the given key), `$patch: merge` (the default);
/// - `$deleteFromPrimitiveList/<field>: [values]` removes values from a list of scalars;
/// - `$setElementOrder/<field>: [...]` orders the resulting list (items it does not name keep their order
///   after the named ones);
/// - `$retainKeys: [fields]` drops the other fields of the map (used by kubectl for union types).
///
/// `null` deletes a key. Lists of scalars with merge strategy (`finalizers`) are merged as sets; lists
/// without a merge key are replaced.
enum StrategicMergePatch {
    /// `target` with `patch` applied. Throws `APIStatus` 400 for a malformed patch (a directive of the
    /// wrong shape, a list item without its merge key).
    static func apply(_ patch: JSONValue, to target: JSONValue, schema: JSONValue? = nil) throws -> JSONValue {
        guard case .object = patch else {
            throw badRequest("strategic merge patch must be a JSON object, not \(patch.typeName)")
        }
        let keys = MergeKeys(for: target.objectValue != nil ? target : patch, schema: schema)
        return try mergeMap(target.objectValue ?? [:], patch, path: [], keys: keys) ?? .object([:])
    }

    static func badRequest(_ message: String) -> APIStatus {
        APIStatus(code: 400, reason: .badRequest, message: message)
    }

    /// Merges a patch map into an original map; `nil` when the patch deletes the map.
    private static func mergeMap(_ original: [String: JSONValue], _ patch: JSONValue, path: [String], keys: MergeKeys) throws -> JSONValue? {
        guard var patchMembers = patch.objectValue else { return patch }
        let directive = patchMembers.removeValue(forKey: "$patch")
        switch directive?.stringValue {
        case nil, "merge": break
        case "replace": return try mergeMap([:], .object(patchMembers), path: path, keys: keys)
        case "delete": return nil
        default:
            throw badRequest("Unknown patch type: \(directive?.stringValue ?? directive?.jsonString() ?? "") in map at \(display(path))")
        }
        var result = keys.isAtomicMap(at: path) ? [:] : original
        var retainKeys: [String]?
        if let retain = patchMembers.removeValue(forKey: "$retainKeys") {
            guard let list = retain.arrayValue?.compactMap(\.stringValue) else {
                throw badRequest("$retainKeys at \(display(path)) must be a list of field names")
            }
            retainKeys = list
        }
        var deletions: [String: [JSONValue]] = [:]
        var orders: [String: [JSONValue]] = [:]
        for (key, value) in patchMembers {
            if let field = key.dropPrefix("$deleteFromPrimitiveList/") {
                guard let list = value.arrayValue else {
                    throw badRequest("$deleteFromPrimitiveList/\(field) at \(display(path)) must be a list")
                }
                deletions[field] = list
            } else if let field = key.dropPrefix("$setElementOrder/") {
                guard let list = value.arrayValue else {
                    throw badRequest("$setElementOrder/\(field) at \(display(path)) must be a list")
                }
                orders[field] = list
            }
        }
        for (key, value) in patchMembers where !key.hasPrefix("$") {
            let childPath = path + [key]
            if value.isNull {
                result[key] = nil
                continue
            }
            switch (result[key], value) {
            case (.object(let o)?, .object):
                result[key] = try mergeMap(o, value, path: childPath, keys: keys)
            case (.array(let a)?, .array(let p)):
                result[key] = try mergeList(a, p, path: childPath, keys: keys)
            case (_, .object):
                result[key] = try mergeMap([:], value, path: childPath, keys: keys)
            case (_, .array(let p)):
                result[key] = try mergeList([], p, path: childPath, keys: keys)
            default:
                result[key] = value
            }
        }
        for (field, values) in deletions {
            guard let list = result[field]?.arrayValue else { continue }
            result[field] = .array(list.filter { !values.contains($0) })
        }
        for (field, order) in orders {
            guard let list = result[field]?.arrayValue else { continue }
            result[field] = .array(reorder(list, by: order, type: keys.listType(at: path + [field])))
        }
        if let retainKeys {
            let allowed = Set(retainKeys)
            for key in patchMembers.keys where !key.hasPrefix("$") && !allowed.contains(key) {
                throw badRequest("The $retainKeys directive at \(display(path)) does not list the patched field \(key)")
            }
            result = result.filter { allowed.contains($0.key) }
        }
        return .object(result)
    }

    private static func mergeList(_ original: [JSONValue], _ patch: [JSONValue], path: [String], keys: MergeKeys) throws -> JSONValue {
        switch keys.listType(at: path) {
        case .atomic:
            return .array(patch)
        case .set:
            var result = original
            for item in patch where !result.contains(item) { result.append(item) }
            return .array(result)
        case .map(let mapKeys):
            guard let mergeKey = mapKeys.first else { return .array(patch) }
            var result = original
            // `{"$patch": "replace"}` as an item: the other items replace the list.
            if patch.contains(where: { $0["$patch"]?.stringValue == "replace" && $0[mergeKey] == nil }) {
                result = []
            }
            for item in patch {
                guard item.objectValue != nil else {
                    throw badRequest("the list at \(display(path)) merges by \(mergeKey): its items must be objects, not \(item.typeName)")
                }
                if item["$patch"]?.stringValue == "replace" && item[mergeKey] == nil { continue }
                guard let keyValue = item[mergeKey] else {
                    throw badRequest("map: \(item.jsonString()) does not contain declared merge key: \(mergeKey)")
                }
                let index = result.firstIndex { $0[mergeKey] == keyValue }
                if item["$patch"]?.stringValue == "delete" {
                    if let index { result.remove(at: index) }
                    continue
                }
                if let index {
                    if let merged = try mergeMap(result[index].objectValue ?? [:], item, path: path, keys: keys) {
                        result[index] = merged
                    } else {
                        result.remove(at: index)
                    }
                } else if let added = try mergeMap([:], item, path: path, keys: keys) {
                    result.append(added)
                }
            }
            return .array(result)
        }
    }

    /// `list` ordered as `order` names its items (by merge key for maps, by value for scalars); items
    /// not named keep their relative order after the named ones.
    private static func reorder(_ list: [JSONValue], by order: [JSONValue], type: MergeKeys.ListType) -> [JSONValue] {
        func identity(_ item: JSONValue) -> JSONValue {
            if case .map(let keys) = type, let key = keys.first, let value = item[key] { return value }
            return item
        }
        let wanted = order.map(identity)
        var remaining = list
        var result: [JSONValue] = []
        for id in wanted {
            if let i = remaining.firstIndex(where: { identity($0) == id }) {
                result.append(remaining.remove(at: i))
            }
        }
        return result + remaining
    }

    static func display(_ path: [String]) -> String {
        path.isEmpty ? "the top level" : path.joined(separator: ".")
    }
}

extension String {
    /// The rest of the string after `prefix`, or nil if it does not start with it.
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
