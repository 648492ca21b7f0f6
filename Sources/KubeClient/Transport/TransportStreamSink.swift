/// Receives a streamed response (a watch) from an ``HTTPTransport``.
///
/// The transport calls these methods on a thread of its own, never on Swift's cooperative pool, so an
/// implementation may block in ``receive(_:)`` to apply back-pressure.
public protocol TransportStreamSink: AnyObject, Sendable {
    /// The status line and headers arrived (lower-cased names). Called once, before any body bytes.
    func receiveHead(status: Int, headers: [String: String])
    /// A chunk of the body arrived. Return `false` to abort the transfer and close the connection.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool
    /// `true` once the consumer has gone away: the transport aborts the transfer at the next chance.
    var isCancelled: Bool { get }
}
