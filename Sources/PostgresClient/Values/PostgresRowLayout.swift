/// The columns of a result, shared by all its rows, with a name → index map built once.
final class PostgresRowLayout: Sendable {
    let columns: [PostgresColumn]
    private let indexByName: [String: Int]

    init(columns: [PostgresColumn]) {
        self.columns = columns
        var indexByName: [String: Int] = [:]
        for (index, column) in columns.enumerated() where indexByName[column.name] == nil {
            indexByName[column.name] = index
        }
        self.indexByName = indexByName
    }

    /// The index of the first column named `name`.
    func index(of name: String) -> Int? { indexByName[name] }
}
