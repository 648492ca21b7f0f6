/// What a reconcile asks the controller to do next, like kube-rs's `Action`.
///
/// ```swift
/// return .requeue(after: .seconds(300))   // look again in five minutes
/// return .awaitChange                      // nothing to do until the object or an owned object changes
/// ```
public enum Action: Sendable, Hashable, CustomStringConvertible {
    /// Reconcile this object again after `after`, even if nothing changes.
    case requeue(after: Duration)
    /// Do not reconcile again until a watch event (on the object or an owned object) or a resync wakes it.
    case awaitChange

    /// `requeue(after: 1.5s)` or `awaitChange`, for logs.
    public var description: String {
        switch self {
        case .requeue(let after): return "requeue(after: \(after.seconds)s)"
        case .awaitChange: return "awaitChange"
        }
    }
}
