import KubeCore

/// An informer's cache (the reflector store): the projected objects of one kind keyed by
/// `namespace/name` (`name` for cluster-scoped objects). Reads are synchronous and cheap from any task.
public final class Store: Sendable {
    private let objects = Locked<[String: JSONValue]>([:])

    init() {}

    /// The object with `key` (`namespace/name`), if cached.
    public func get(_ key: String) -> JSONValue? { objects.withLock { $0[key] } }

    /// The object `name` in `namespace` (nil or empty for cluster-scoped objects).
    public func get(namespace: String?, name: String) -> JSONValue? {
        get(Self.key(namespace: namespace, name: name))
    }

    /// Every cached object, sorted by key.
    public func list() -> [JSONValue] {
        objects.withLock { all in all.keys.sorted().compactMap { all[$0] } }
    }

    /// Every cached object in `namespace`, sorted by key.
    public func list(namespace: String) -> [JSONValue] {
        let prefix = namespace + "/"
        return objects.withLock { all in all.keys.filter { $0.hasPrefix(prefix) }.sorted().compactMap { all[$0] } }
    }

    /// The cached objects for which `predicate` holds, sorted by key.
    public func filter(_ predicate: (JSONValue) -> Bool) -> [JSONValue] {
        list().filter(predicate)
    }

    /// Every key, sorted.
    public var keys: [String] { objects.withLock { $0.keys.sorted() } }

    /// The number of cached objects.
    public var count: Int { objects.withLock { $0.count } }

    /// The key of an object `name` in `namespace`.
    public static func key(namespace: String?, name: String) -> String {
        if let namespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }

    // MARK: - Mutations (informer only)

    /// Inserts or replaces; returns the previous object.
    @discardableResult
    func upsert(_ object: JSONValue) -> JSONValue? {
        let key = object.objectKey
        return objects.withLock { all in
            let old = all[key]
            all[key] = object
            return old
        }
    }

    /// Removes; returns the removed object.
    @discardableResult
    func remove(_ key: String) -> JSONValue? { objects.withLock { $0.removeValue(forKey: key) } }

    /// Replaces everything; returns the previous contents.
    func replace(with new: [String: JSONValue]) -> [String: JSONValue] {
        objects.withLock { all in
            let old = all
            all = new
            return old
        }
    }

    /// A copy of the contents.
    var snapshot: [String: JSONValue] { objects.withLock { $0 } }
}
