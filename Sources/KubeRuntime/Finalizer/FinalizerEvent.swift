import KubeCore

/// What a ``Finalizer`` asks the reconciler to do.
public enum FinalizerEvent: Sendable, Hashable {
    /// The object lives and carries the finalizer: converge it.
    case apply(JSONValue)
    /// The object is being deleted and still carries the finalizer: clean up what the API server
    /// cannot (cluster-scoped children, external state); the finalizer is removed when this returns.
    case cleanup(JSONValue)
}
