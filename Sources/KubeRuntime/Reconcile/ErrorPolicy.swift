/// Decides what happens to an object whose reconcile threw.
///
/// The default retries with the work queue's per-key exponential backoff (5 ms doubling to 1000 s, combined
/// with the overall token bucket) and never retries a ``TerminalError``.
///
/// ```swift
/// let policy = ErrorPolicy { error, key in
///     error is ConfigMissing ? .requeue(after: .seconds(60)) : .retryWithBackoff
/// }
/// ```
public struct ErrorPolicy: Sendable {
    /// The decision for one failed reconcile.
    public enum Decision: Sendable, Hashable {
        /// Requeue with the per-key exponential backoff; the delay grows with each consecutive failure.
        case retryWithBackoff
        /// Requeue after a fixed delay and reset the key's backoff.
        case requeue(after: Duration)
        /// Do not requeue; wait for the next change.
        case doNotRetry
    }

    private let decide: @Sendable (any Error, String) -> Decision

    /// A policy from a closure of the error and the object's key (`namespace/name`).
    /// A ``TerminalError`` is never retried, whatever the closure answers.
    public init(_ decide: @escaping @Sendable (_ error: any Error, _ key: String) -> Decision) {
        self.decide = decide
    }

    /// Per-key exponential backoff for every error except ``TerminalError``.
    public static let `default` = ErrorPolicy { _, _ in .retryWithBackoff }

    /// The decision for `error` thrown while reconciling `key`.
    public func decision(for error: any Error, key: String) -> Decision {
        if error is TerminalError { return .doNotRetry }
        return decide(error, key)
    }
}
