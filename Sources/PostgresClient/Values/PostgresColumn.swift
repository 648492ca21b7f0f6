/// A column of a result: its name and the OID of its type (23 int4, 25 text, 1184 timestamptz, …).
public struct PostgresColumn: Sendable, Equatable {
    /// The column's name (or alias).
    public let name: String
    /// The OID of the column's type in `pg_type`.
    public let typeOID: UInt32

    /// A column named `name` of type `typeOID`.
    public init(name: String, typeOID: UInt32) {
        self.name = name
        self.typeOID = typeOID
    }
}
