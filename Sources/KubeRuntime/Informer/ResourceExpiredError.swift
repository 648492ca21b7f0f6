import KubeClient
import KubeCore

/// The resourceVersion asked for is older than the server keeps (HTTP 410 Gone, or a watch `ERROR` event
/// with code 410): the informer lists again. Sources may throw this, ``KubeClientError/expired(_:)``, or an
/// `APIStatus` with code 410.
public struct ResourceExpiredError: Error, Sendable, CustomStringConvertible {
    /// The server's message.
    public var message: String
    /// An expired error with the server's message.
    public init(_ message: String = "too old resource version") { self.message = message }
    /// The message with the code, for logs.
    public var description: String { "resource version expired (410): \(message)" }

    /// Whether `error` means "expired": this type, `KubeClientError` with code 410, or an `APIStatus` with code 410.
    public static func matches(_ error: any Error) -> Bool {
        if error is ResourceExpiredError { return true }
        if let e = error as? KubeClientError { return e.isGone }
        if let status = error as? APIStatus { return status.code == 410 }
        return false
    }
}
