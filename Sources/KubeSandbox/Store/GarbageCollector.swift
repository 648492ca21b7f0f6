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

    /// Deletes (or starts deleting) `object`; returns it as last stored.
    func delete(_ type: ResourceType, _ object: JSONValue, policy: String) throws -> JSONValue {
        var current = object
        if policy == "Orphan", let uid = object.uid { try orphanDependents(of: uid) }
        let isNamespace = type.storeKey == ResourceType.namespaceStoreKey
        if current.deletionTimestamp == nil && (policy == "Foreground" || !current.finalizers.isEmpty || isNamespace) {
            current["metadata", "deletionTimestamp"] = .string(Age.nowTimestamp())
            current["metadata", "deletionGracePeriodSeconds"] = 0
            if policy == "Foreground" && !current.finalizers.contains("foregroundDeletion") {
                current["metadata", "finalizers"] = .array((current.finalizers + ["foregroundDeletion"]).map { .string($0) })
            }
            if isNamespace { current["status", "phase"] = "Terminating" }
            current = try store.put(type.storeKey, current)
            try collect()
            return store.get(type.storeKey, namespace: current.namespace, name: current.name ?? "") ?? current
        }
        if current.deletionTimestamp != nil { return current }
        let removed = try store.remove(type.storeKey, namespace: current.namespace, name: current.name ?? "") ?? current
        try api.afterRemove(type, removed)
        try collect()
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

    /// Runs until nothing changes: finishes deletions whose finalizers are gone, deletes dependents of deleted
    /// owners and the content of terminating namespaces.
    func collect() throws {
        for _ in 0..<1000 {
            if try !collectOnce() { return }
        }
    }

    private func collectOnce() throws -> Bool {
        let all = store.everything()
        let uids = Set(all.compactMap { $0.object.uid })
        var dependents: [String: [(String, JSONValue)]] = [:]
        for (storeKey, o) in all {
            for r in refs(o) { if let uid = r["uid"]?.stringValue { dependents[uid, default: []].append((storeKey, o)) } }
        }
        for (storeKey, o) in all {
            guard let type = api.registry.anyVersion(storeKey: storeKey) else { continue }
            let name = o.name ?? ""
            if o.deletionTimestamp != nil {
                if storeKey == ResourceType.namespaceStoreKey {
                    let content = all.filter { $0.object.namespace == name && $0.storeKey != ResourceType.namespaceStoreKey }
                    if content.isEmpty && o.finalizers.isEmpty {
                        let removed = try store.remove(storeKey, namespace: nil, name: name) ?? o
                        try api.afterRemove(type, removed)
                        return true
                    }
                    for (childKey, child) in content where child.deletionTimestamp == nil {
                        if let childType = api.registry.anyVersion(storeKey: childKey) {
                            _ = try delete(childType, child, policy: "Background")
                            return true
                        }
                    }
                    continue
                }
                if o.finalizers.contains("foregroundDeletion"), let uid = o.uid {
                    let waiting = dependents[uid] ?? []
                    if waiting.isEmpty {
                        var updated = o
                        updated["metadata", "finalizers"] = .array(o.finalizers.filter { $0 != "foregroundDeletion" }.map { .string($0) })
                        try store.put(storeKey, updated)
                        return true
                    }
                    for (childKey, child) in waiting where child.deletionTimestamp == nil {
                        if let childType = api.registry.anyVersion(storeKey: childKey) {
                            _ = try delete(childType, child, policy: "Foreground")
                            return true
                        }
                    }
                }
                if o.finalizers.isEmpty {
                    let removed = try store.remove(storeKey, namespace: o.namespace, name: name) ?? o
                    try api.afterRemove(type, removed)
                    return true
                }
                continue
            }
            let owners = refs(o)
            if owners.isEmpty { continue }
            let live = owners.filter { uids.contains($0["uid"]?.stringValue ?? "") }
            if live.isEmpty {
                _ = try delete(type, o, policy: "Background")
                return true
            }
            if live.count < owners.count {
                var updated = o
                updated["metadata", "ownerReferences"] = .array(live)
                try store.put(storeKey, updated)
                return true
            }
        }
        return false
    }
}
