import Foundation
import KubeCore

/// Deletion with the API server's rules, run synchronously inside the store lock: finalizers keep an object
/// (with `deletionTimestamp`) until the last one is removed; `propagationPolicy` Background deletes dependents
/// (objects whose ownerReferences name the deleted uid) after the owner, Foreground before it (the owner waits
/// with the `foregroundDeletion` finalizer), Orphan removes the ownerReferences; deleting a namespace deletes
/// everything in it.
struct GarbageCollector {
    let api: SandboxAPI
    private var store: ObjectStore { api.store }

    /// Deletes (or starts deleting) `object`, then collects what that frees; returns the object as last stored.
    func delete(_ type: ResourceType, _ object: JSONValue, policy: String) throws -> JSONValue {
        let result = try begin(type, object, policy: policy)
        try collect()
        if result.deletionTimestamp != nil, let current = store.get(type.storeKey, namespace: result.namespace, name: result.name ?? ""),
           current.uid == result.uid {
            return current
        }
        return result
    }

    /// Removes `object`, or marks it deleted (deletionTimestamp) when finalizers, a foreground deletion or a
    /// namespace's content must go first. Does not collect.
    private func begin(_ type: ResourceType, _ object: JSONValue, policy: String) throws -> JSONValue {
        var current = object
        if policy == "Orphan", let uid = object.uid { try orphanDependents(of: uid) }
        if current.deletionTimestamp != nil { return current }
        let isNamespace = type.storeKey == ResourceType.namespaceStoreKey
        if policy == "Foreground" || !current.finalizers.isEmpty || isNamespace {
            current["metadata", "deletionTimestamp"] = .string(Age.nowTimestamp())
            current["metadata", "deletionGracePeriodSeconds"] = 0
            if policy == "Foreground" && !current.finalizers.contains("foregroundDeletion") {
                current["metadata", "finalizers"] = .array((current.finalizers + ["foregroundDeletion"]).map { .string($0) })
            }
            if isNamespace { current["status", "phase"] = "Terminating" }
            return try store.put(type.storeKey, current)
        }
        return try remove(type, current)
    }

    private func remove(_ type: ResourceType, _ object: JSONValue) throws -> JSONValue {
        let removed = try store.remove(type.storeKey, namespace: object.namespace, name: object.name ?? "") ?? object
        try api.afterRemove(type, removed)
        return removed
    }

    private func orphanDependents(of uid: String) throws {
        for (storeKey, o) in store.everything() where refs(o).contains(where: { $0["uid"]?.stringValue == uid }) {
            var updated = o
            let kept = refs(o).filter { $0["uid"]?.stringValue != uid }
            updated["metadata", "ownerReferences"] = kept.isEmpty ? nil : .array(kept)
            try store.put(storeKey, updated)
        }
    }

    private func refs(_ o: JSONValue) -> [JSONValue] { o["metadata", "ownerReferences"]?.arrayValue ?? [] }

    /// Runs passes until nothing changes: finishes deletions whose finalizers are gone, deletes dependents of
    /// deleted owners and the content of terminating namespaces. Iterative, so deep cascades cannot overflow.
    func collect() throws {
        for _ in 0..<10_000 {
            if try !collectPass() { return }
        }
    }

    /// One pass over a snapshot; each action re-reads the object and skips it if it changed meanwhile.
    private func collectPass() throws -> Bool {
        let all = store.everything()
        let uids = Set(all.compactMap { $0.object.uid })
        var dependents: [String: [(storeKey: String, object: JSONValue)]] = [:]
        var byNamespace: [String: [(storeKey: String, object: JSONValue)]] = [:]
        for (storeKey, o) in all {
            for r in refs(o) { if let uid = r["uid"]?.stringValue { dependents[uid, default: []].append((storeKey, o)) } }
            if let ns = o.namespace, storeKey != ResourceType.namespaceStoreKey { byNamespace[ns, default: []].append((storeKey, o)) }
        }
        var changed = false
        func fresh(_ storeKey: String, _ o: JSONValue) -> JSONValue? {
            guard let now = store.get(storeKey, namespace: o.namespace, name: o.name ?? ""), now.resourceVersion == o.resourceVersion else { return nil }
            return now
        }
        for (storeKey, snapshot) in all {
            guard let type = api.registry.anyVersion(storeKey: storeKey), let o = fresh(storeKey, snapshot) else { continue }
            if o.deletionTimestamp != nil {
                if storeKey == ResourceType.namespaceStoreKey {
                    let content = byNamespace[o.name ?? ""] ?? []
                    if content.isEmpty && o.finalizers.isEmpty {
                        _ = try remove(type, o)
                        changed = true
                    }
                    for (childKey, child) in content where child.deletionTimestamp == nil {
                        guard let childType = api.registry.anyVersion(storeKey: childKey), let c = fresh(childKey, child) else { continue }
                        _ = try begin(childType, c, policy: "Background")
                        changed = true
                    }
                    continue
                }
                if o.finalizers.contains("foregroundDeletion"), let uid = o.uid {
                    let waiting = dependents[uid] ?? []
                    if waiting.isEmpty {
                        var updated = o
                        updated["metadata", "finalizers"] = .array(o.finalizers.filter { $0 != "foregroundDeletion" }.map { .string($0) })
                        try store.put(storeKey, updated)
                        changed = true
                        continue
                    }
                    for (childKey, child) in waiting where child.deletionTimestamp == nil {
                        guard let childType = api.registry.anyVersion(storeKey: childKey), let c = fresh(childKey, child) else { continue }
                        _ = try begin(childType, c, policy: "Foreground")
                        changed = true
                    }
                    continue
                }
                if o.finalizers.isEmpty {
                    _ = try remove(type, o)
                    changed = true
                }
                continue
            }
            let owners = refs(o)
            if owners.isEmpty { continue }
            let live = owners.filter { uids.contains($0["uid"]?.stringValue ?? "") }
            if live.isEmpty {
                _ = try begin(type, o, policy: "Background")
                changed = true
            } else if live.count < owners.count {
                var updated = o
                updated["metadata", "ownerReferences"] = .array(live)
                try store.put(storeKey, updated)
                changed = true
            }
        }
        return changed
    }
}
