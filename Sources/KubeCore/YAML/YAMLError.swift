/// A YAML text that could not be parsed, with the 1-based line and column of the problem.
///
/// The column counts Unicode scalars from the start of the line, so it matches what an editor shows.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the offending character.
    public let line: Int
    /// 1-based column of the offending character.
    public let column: Int
    /// What was wrong, and where useful, how to fix it.
    public let message: String

    /// Creates an error at a 1-based line and column.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `yaml: line 3, column 5: <message>`.
    public var description: String { "yaml: line \(line), column \(column): \(message)" }
}
