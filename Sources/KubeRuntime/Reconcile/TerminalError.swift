/// A reconcile error that retrying cannot fix (for example an invalid spec): the controller records it
/// and does not requeue the object; the next change to the object (or a resync) reconciles it again.
///
/// Like controller-runtime's `reconcile.TerminalError`.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public var message: String
    /// The underlying error, if any.
    public var underlying: (any Error & Sendable)?

    /// A terminal error with a message that names the cause and the fix.
    public init(_ message: String, underlying: (any Error & Sendable)? = nil) {
        self.message = message
        self.underlying = underlying
    }

    /// The message, then the underlying error.
    public var description: String {
        if let underlying { return "\(message): \(underlying)" }
        return message
    }
}
