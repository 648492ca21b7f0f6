import KubeCore

/// Field ownership and server-side apply, following structured-merge-diff as the API server uses it.
///
/// Every write records in `metadata.managedFields` which manager owns which fields:
/// - `update` (create, PUT, and the merge / JSON / strategic patches) gives the writer every field it
///   added or changed and takes those fields from the other managers; removed fields leave every owner.
/// - `apply` (`application/apply-patch+yaml`) merges the applied configuration into the live object, gives
///   the applier exactly the fields of its configuration, removes fields the applier owned before, left
///   out now, and nobody else owns, and refuses (409 Conflict) to change a field another manager owns
///   unless `force`, which moves the field to the applier. Setting a field to the value it already has
///   shares ownership without conflict.
///
/// Both return the new object with `managedFields` in the real format. Neither touches `status` or the
/// server-managed metadata: the caller strips what a subresource may not change before calling.
enum FieldManager {
    /// The manager that owns the fields of an object that had no `managedFields` when first applied to.
    static let beforeFirstApply = "before-first-apply"

    /// Server-side apply of `applied` by `manager` to `live` (nil: the object is created).
    ///
    /// Applying the same configuration again returns `live` unchanged (same `managedFields` and times),
    /// so the caller can skip the write and keep `resourceVersion` and `generation`.
    ///
    /// - Parameters:
    ///   - subresource: `"status"` for an apply through `/status`, nil for the main resource.
    ///   - now: the RFC 3339 time recorded for the manager when something changed.
    ///   - schema: the custom resource's `openAPIV3Schema`, for its list types.
    /// - Throws: `APIStatus` 409 Conflict listing every conflicting field; 400 when the configuration
    ///   carries `managedFields` or malformed associative lists.
    static func apply(_ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool, subresource: String?,
                      now: String, schema: JSONValue? = nil) throws -> JSONValue {
        if let managed = applied["metadata", "managedFields"], !managed.isNull {
            throw APIStatus(code: 400, reason: .badRequest, message: "metadata.managedFields must be nil")
        }
        guard applied.objectValue != nil else {
            throw APIStatus(code: 400, reason: .badRequest, message: "the applied configuration must be an object, not \(applied.typeName)")
        }
        let walker = FieldWalker(keys: MergeKeys(for: applied, schema: schema))
        let liveObject = live.map(withoutManagedFields)
        let apiVersion = applied.apiVersion ?? live?.apiVersion ?? ""
        var entries = ManagedFieldsEntry.entries(of: live)
        if let liveObject, entries.isEmpty {
            let owned = walker.members(of: liveObject)
            if !owned.isEmpty {
                entries.append(ManagedFieldsEntry(manager: beforeFirstApply, operation: .update, apiVersion: live?.apiVersion ?? apiVersion,
                                                  time: now, subresource: nil, fields: owned))
            }
        }
        let me = ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: apiVersion, time: now,
                                    subresource: subresource, fields: walker.members(of: applied))
        let previous = entries.firstIndex { $0.identity == me.identity }.map { entries[$0] }
        entries.removeAll { $0.identity == me.identity }

        var merged = try walker.merge(liveObject, withoutManagedFields(applied))
        if let liveObject { merged = restoringUnownedMetadata(of: liveObject, in: merged) }

        // Conflicts: fields another manager owns that this apply changes.
        let comparison = walker.compare(liveObject ?? [:], merged)
        let changed = comparison.added.union(comparison.modified)
        var conflicts: [(entry: ManagedFieldsEntry, path: FieldPath)] = []
        for entry in entries {
            for path in entry.fields.intersection(changed).paths.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                conflicts.append((entry, path))
            }
        }
        if !conflicts.isEmpty && !force { throw conflictError(conflicts) }
        for i in entries.indices {
            entries[i].fields = entries[i].fields.subtracting(changed).subtracting(comparison.removed)
        }

        // Prune: fields the applier owned, no longer applies, and nobody else owns.
        let owned = entries.reduce(me.fields) { $0.union($1.fields) }
        let orphaned = (previous?.fields ?? FieldSet()).subtracting(owned)
        var pruned = merged
        for path in orphaned.paths.sorted(by: { $0.count < $1.count }) where !owned.hasDescendant(of: path) {
            pruned = walker.removing(path, from: pruned)
        }
        let removedByPrune = walker.compare(merged, pruned).removed
        for i in entries.indices { entries[i].fields = entries[i].fields.subtracting(removedByPrune) }

        var mine = me
        let objectChanged = !FieldWalker.sameValue(liveObject ?? .null, pruned)
        if !objectChanged, let previous, previous.fields == mine.fields { mine.time = previous.time }
        entries.append(mine)
        return withManagedFields(entries, on: pruned)
    }

    /// Records ownership for a write that is not an apply (create, update, patch) by `manager`: the
    /// fields it added or changed become its own and leave other managers; removed fields leave everyone.
    ///
    /// `managedFields` in `new` are honoured like the server does: absent or unchanged keeps the old
    /// ones, `[{}]` clears them, anything else replaces them.
    static func update(old: JSONValue?, new: JSONValue, manager: String, subresource: String?, now: String,
                       schema: JSONValue? = nil) -> JSONValue {
        let walker = FieldWalker(keys: MergeKeys(for: new, schema: schema))
        var entries = ManagedFieldsEntry.entries(of: old)
        if let sent = new["metadata", "managedFields"]?.arrayValue, !sent.isEmpty, sent != old?["metadata", "managedFields"]?.arrayValue {
            entries = sent.allSatisfy({ $0.objectValue?.isEmpty == true }) ? [] : sent.compactMap(ManagedFieldsEntry.init(json:))
        }
        let oldObject = old.map(withoutManagedFields) ?? emptyObject(like: new)
        let newObject = withoutManagedFields(new)
        let comparison = walker.compare(oldObject, newObject)
        let changed = comparison.added.union(comparison.modified)
        let apiVersion = new.apiVersion ?? old?.apiVersion ?? ""
        var me = ManagedFieldsEntry(manager: manager, operation: .update, apiVersion: apiVersion, time: now,
                                    subresource: subresource, fields: FieldSet())
        let previous = entries.firstIndex { $0.identity == me.identity }.map { entries[$0] }
        entries.removeAll { $0.identity == me.identity }
        for i in entries.indices {
            entries[i].fields = entries[i].fields.subtracting(changed).subtracting(comparison.removed)
        }
        me.fields = (previous?.fields ?? FieldSet()).subtracting(comparison.removed).union(changed)
        if changed.isEmpty && comparison.removed.isEmpty, let previous, previous.fields == me.fields { me.time = previous.time }
        entries.append(me)
        return withManagedFields(entries, on: newObject)
    }

    // MARK: Helpers

    /// The object a create is compared against: built-in kinds already have empty `spec` (as Go's typed
    /// objects do), so `spec` itself is not recorded as added.
    private static func emptyObject(like new: JSONValue) -> JSONValue {
        var empty: JSONValue = ["metadata": [:]]
        if MergeKeys.isBuiltIn(apiVersion: new.apiVersion ?? "v1"), new["spec"]?.objectValue != nil { empty["spec"] = [:] }
        return empty
    }

    private static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        var copy = object
        if copy["metadata", "managedFields"] != nil { copy["metadata", "managedFields"] = nil }
        return copy
    }

    private static func restoringUnownedMetadata(of live: JSONValue, in merged: JSONValue) -> JSONValue {
        var result = merged
        for key in FieldWalker.unownedMetadata where key != "managedFields" {
            result["metadata", key] = live["metadata", key]
        }
        return result
    }

    private static func withManagedFields(_ entries: [ManagedFieldsEntry], on object: JSONValue) -> JSONValue {
        var result = object
        let kept = entries.filter { !$0.fields.isEmpty }
        if kept.isEmpty {
            if result["metadata", "managedFields"] != nil { result["metadata", "managedFields"] = nil }
        } else {
            result["metadata", "managedFields"] = .array(ManagedFieldsEntry.sorted(kept).map(\.json))
        }
        return result
    }

    /// The 409 the API server answers, message and causes worded like it.
    static func conflictError(_ conflicts: [(entry: ManagedFieldsEntry, path: FieldPath)]) -> APIStatus {
        let causes: [JSONValue] = conflicts.map {
            ["reason": "FieldManagerConflict", "message": .string("conflict with \($0.entry.displayName)"), "field": .string($0.path.display)]
        }
        let message: String
        if conflicts.count == 1, let only = conflicts.first {
            message = "Apply failed with 1 conflict: conflict with \(only.entry.displayName): \(only.path.display)"
        } else {
            var lines: [String] = []
            let byManager = Dictionary(grouping: conflicts, by: { $0.entry.displayName })
            for name in byManager.keys.sorted() {
                lines.append("conflicts with \(name):")
                for conflict in byManager[name] ?? [] { lines.append("- \(conflict.path.display)") }
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        return APIStatus(code: 409, reason: .conflict, message: message, details: ["causes": .array(causes)])
    }
}
