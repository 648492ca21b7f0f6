/// A missing or malformed environment variable: the process stops at start with this message.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The variable.
    public let variable: String
    /// What is wrong and how to fix it.
    public let problem: String

    public var description: String { "\(variable): \(problem)" }
}
