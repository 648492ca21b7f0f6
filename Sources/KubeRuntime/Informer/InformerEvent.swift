import KubeCore

/// A change in an informer's store, as handlers see it (objects are already projected).
public enum InformerEvent: Sendable, Hashable {
    /// An object appeared (also replayed for every cached object when a handler registers).
    case added(JSONValue)
    /// An object changed.
    case updated(old: JSONValue, new: JSONValue)
    /// An object was deleted (or was gone at a relist); the last known state.
    case deleted(JSONValue)
    /// The periodic resync: the object did not change, look at it again.
    case resync(JSONValue)

    /// The object the event is about (the new state for updates).
    public var object: JSONValue {
        switch self {
        case .added(let o), .deleted(let o), .resync(let o): return o
        case .updated(_, let new): return new
        }
    }
}
