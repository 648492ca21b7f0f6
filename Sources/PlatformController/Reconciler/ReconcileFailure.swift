/// Some children could not be written; retried with backoff.
public struct ReconcileFailure: Error, Sendable, CustomStringConvertible {
    /// Every failed write, `Kind/namespace/name: error`.
    public let message: String
    public var description: String { "some children could not be converged: \(message)" }
}
