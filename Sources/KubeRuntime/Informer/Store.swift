import KubeCore

/// An informer's cache (the reflector store): the projected objects of one kind keyed by
/// `namespace/name` (`name` for cluster-scoped objects). Reads are synchronous and cheap from any task.
///
/// With an index function (``Informer/init(resource:source:projection:index:options:logger:)``), the store also
/// keeps the keys of the objects by their index value, so ``list(indexedAs:)`` costs what it returns rather
/// than a scan of every cached object (like client-go's `Indexer`).
public final class Store: Sendable {
    private struct Contents {
        var objects: [String: JSONValue] = [:]
        var index: [String: Set<String>] = [:]
    }

    private let contents = Locked(Contents())
    private let indexer: (@Sendable (JSONValue) -> String?)?

    init(index: (@Sendable (JSONValue) -> String?)? = nil) { self.indexer = index }

    /// The object with `key` (`namespace/name`), if cached.
    public func get(_ key: String) -> JSONValue? { contents.withLock { $0.objects[key] } }

    /// The object `name` in `namespace` (nil or empty for cluster-scoped objects).
    public func get(namespace: String?, name: String) -> JSONValue? {
        get(Self.key(namespace: namespace, name: name))
    }

    /// Every cached object, sorted by key.
    public func list() -> [JSONValue] {
        contents.withLock { c in c.objects.keys.sorted().compactMap { c.objects[$0] } }
    }

    /// Every cached object in `namespace`, sorted by key.
    public func list(namespace: String) -> [JSONValue] {
        let prefix = namespace + "/"
        return contents.withLock { c in c.objects.keys.filter { $0.hasPrefix(prefix) }.sorted().compactMap { c.objects[$0] } }
    }

    /// The cached objects whose index value is `value`, sorted by key; empty when the store has no index.
    public func list(indexedAs value: String) -> [JSONValue] {
        contents.withLock { c in (c.index[value] ?? []).sorted().compactMap { c.objects[$0] } }
    }

    /// Whether the store keeps an index (see ``list(indexedAs:)``).
    public var isIndexed: Bool { indexer != nil }

    /// The cached objects for which `predicate` holds, sorted by key.
    public func filter(_ predicate: (JSONValue) -> Bool) -> [JSONValue] {
        list().filter(predicate)
    }

    /// Every key, sorted.
    public var keys: [String] { contents.withLock { $0.objects.keys.sorted() } }

    /// The number of cached objects.
    public var count: Int { contents.withLock { $0.objects.count } }

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
        let value = indexer?(object)
        return contents.withLock { c in
            let old = c.objects.updateValue(object, forKey: key)
            if let indexer {
                let oldValue = old.flatMap(indexer)
                if oldValue != value {
                    if let oldValue { Self.unindex(key, from: oldValue, in: &c.index) }
                    if let value { c.index[value, default: []].insert(key) }
                }
            }
            return old
        }
    }

    /// Removes; returns the removed object.
    @discardableResult
    func remove(_ key: String) -> JSONValue? {
        contents.withLock { c in
            let old = c.objects.removeValue(forKey: key)
            if let old, let value = indexer?(old) { Self.unindex(key, from: value, in: &c.index) }
            return old
        }
    }

    /// Replaces everything; returns the previous contents.
    func replace(with new: [String: JSONValue]) -> [String: JSONValue] {
        var index: [String: Set<String>] = [:]
        if let indexer {
            for (key, object) in new { if let value = indexer(object) { index[value, default: []].insert(key) } }
        }
        return contents.withLock { c in
            let old = c.objects
            c.objects = new
            c.index = index
            return old
        }
    }

    /// A copy of the contents.
    var snapshot: [String: JSONValue] { contents.withLock { $0.objects } }

    private static func unindex(_ key: String, from value: String, in index: inout [String: Set<String>]) {
        index[value]?.remove(key)
        if index[value]?.isEmpty == true { index[value] = nil }
    }
}
