/// One problem found in an `IncidentPlatform`: where it is and what to do about it.
public struct PlatformValidationError: Sendable, Equatable, CustomStringConvertible {
    /// The JSON path, e.g. `spec.services.webUI.autoscaling`.
    public var path: String
    /// The problem and the fix, e.g. `minReplicas (6) must be <= maxReplicas (5)`.
    public var message: String

    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// Every problem found in an `IncidentPlatform`, in document order.
public struct PlatformValidationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems (never empty when thrown or returned as a failure).
    public var errors: [PlatformValidationError]

    /// Wraps a list of problems.
    public init(_ errors: [PlatformValidationError]) { self.errors = errors }

    /// One problem per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }

    /// The messages as `path: message` strings.
    public var messages: [String] { errors.map(\.description) }
}
