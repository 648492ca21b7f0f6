/// Why a ``TestPostgresServer`` could not be set up.
public struct TestPostgresServerError: Error, CustomStringConvertible, Sendable {
    /// What failed, and how to fix it when known.
    public let description: String

    init(_ description: String) { self.description = description }
}
