/// What a statement returned: its columns, its rows and its command tag ("INSERT 0 1", "UPDATE 3", "SELECT 2").
public struct PostgresQueryResult: Sendable {
    /// The columns of the rows (empty for a statement without rows).
    public let columns: [PostgresColumn]
    /// The rows, in the order the server sent them.
    public let rows: [PostgresRow]
    /// The server's command tag.
    public let commandTag: String

    /// A result made of text values, `nil` for NULL (for tests of code built on this client).
    public init(columns: [PostgresColumn], textRows: [[String?]], commandTag: String) {
        let layout = PostgresRowLayout(columns: columns)
        self.init(columns: columns, rows: textRows.map { PostgresRow(layout: layout, values: $0) }, commandTag: commandTag)
    }

    init(columns: [PostgresColumn], rows: [PostgresRow], commandTag: String) {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
    }

    /// The row count at the end of the command tag (rows inserted, updated, deleted, selected, …); 0 when it
    /// has none.
    public var affectedRows: Int {
        guard let last = commandTag.split(separator: " ").last, let count = Int(last) else { return 0 }
        return count
    }
}
