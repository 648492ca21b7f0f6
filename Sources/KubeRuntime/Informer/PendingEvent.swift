/// An ``InformerEvent`` waiting in a handler's queue, its objects still encoded: they share the store's bytes,
/// and each is decoded only when the handler takes the event. A relist, or a handler registered after the
/// first list, queues one event per cached object at once; 53,000 decoded children would hold about 150 MB
/// until the handler caught up, the encoded ones hold nothing the store does not.
enum PendingEvent: Sendable, Equatable {
    /// See ``InformerEvent/added(_:)``.
    case added(EncodedObject)
    /// See ``InformerEvent/updated(old:new:)``.
    case updated(old: EncodedObject, new: EncodedObject)
    /// See ``InformerEvent/deleted(_:)``.
    case deleted(EncodedObject)
    /// See ``InformerEvent/resync(_:)``.
    case resync(EncodedObject)

    /// The event as handlers see it.
    var decoded: InformerEvent {
        switch self {
        case .added(let o): .added(o.value)
        case .updated(let old, let new): .updated(old: old.value, new: new.value)
        case .deleted(let o): .deleted(o.value)
        case .resync(let o): .resync(o.value)
        }
    }
}
