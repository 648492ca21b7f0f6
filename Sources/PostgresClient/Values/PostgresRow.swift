/// One row of a result, with its values in PostgreSQL's text format.
///
/// ```swift
/// let id: Int64 = try row.decode("id")
/// let resolvedAt = try row.decode("resolved_at", as: Date?.self)   // NULL -> nil
/// ```
public struct PostgresRow: Sendable {
    let layout: PostgresRowLayout
    let values: [String?]

    init(layout: PostgresRowLayout, values: [String?]) {
        self.layout = layout
        self.values = values
    }

    /// The row's columns.
    public var columns: [PostgresColumn] { layout.columns }

    /// The raw text of a column, `nil` for NULL (no column of that name is an error).
    public func text(_ column: String) throws -> String? {
        values[try index(of: column)]
    }

    /// Decodes the column named `column` as `T`. Errors name the column and the type; NULL decodes only into
    /// an `Optional`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try decode(try index(of: column), as: type)
    }

    /// Decodes the column at `index` (0-based) as `T`.
    public func decode<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard values.indices.contains(index) else {
            throw PostgresError(kind: .decoding, message: "no column at index \(index) (the row has \(values.count) columns)")
        }
        let column = layout.columns[index]
        guard let text = values[index] else { return try T.decodeNull(column: column) }
        return try T.decode(postgresText: text, column: column)
    }

    private func index(of name: String) throws -> Int {
        guard let index = layout.index(of: name) else {
            let names = layout.columns.map(\.name).joined(separator: ", ")
            throw PostgresError(kind: .decoding, message: "no column named \"\(name)\" in the result (columns: \(names))")
        }
        return index
    }
}
