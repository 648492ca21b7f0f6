import Foundation
@testable import PostgresClient
import Testing

@Suite("Value encoding and decoding, offline")
struct ValueCodingTests {
    private let column = PostgresColumn(name: "c", typeOID: 25)

    @Test("Dates encode as ISO 8601 UTC with microseconds and parse back")
    func dates() throws {
        let date = Date(timeIntervalSince1970: 1_714_566_600.25)
        #expect(date.postgresText == "2024-05-01 12:30:00.250000+00")
        #expect(try Date.decode(postgresText: "2024-05-01 12:30:00.25+00", column: column) == date)
        #expect(try Date.decode(postgresText: "2024-05-01 14:30:00.25+02", column: column) == date)
        #expect(try Date.decode(postgresText: "2024-05-01 12:30:00+00", column: column) == Date(timeIntervalSince1970: 1_714_566_600))
        #expect(try Date.decode(postgresText: "2024-05-01", column: column) == Date(timeIntervalSince1970: 1_714_521_600))
        #expect(try Date.decode(postgresText: "1969-12-31 23:59:59.999999+00", column: column) == Date(timeIntervalSince1970: -0.000001))
        #expect(Date(timeIntervalSince1970: -0.000001).postgresText == "1969-12-31 23:59:59.999999+00")
        #expect(try Date.decode(postgresText: "infinity", column: column) == .distantFuture)
        #expect(throws: PostgresError.self) { try Date.decode(postgresText: "yesterday", column: column) }
    }

    @Test("Scalars: Bool, Double specials, bytea, integers")
    func scalars() throws {
        #expect(true.postgresText == "true")
        #expect(try Bool.decode(postgresText: "t", column: column))
        #expect(try !Bool.decode(postgresText: "f", column: column))
        #expect(Double.infinity.postgresText == "Infinity")
        #expect(try Double.decode(postgresText: "NaN", column: column).isNaN)
        #expect(([0x00, 0xde, 0xad] as [UInt8]).postgresText == "\\x00dead")
        #expect(try [UInt8].decode(postgresText: "\\x00DEAD", column: column) == [0x00, 0xde, 0xad])
        #expect(throws: PostgresError.self) { try Int32.decode(postgresText: "3000000000", column: column) }
    }

    @Test("Row decoding names the column and the type; NULL needs an Optional")
    func rowErrors() throws {
        let result = PostgresQueryResult(columns: [PostgresColumn(name: "n", typeOID: 23), PostgresColumn(name: "missing", typeOID: 25)],
                                         textRows: [["x", nil]], commandTag: "SELECT 1")
        let row = result.rows[0]
        do {
            _ = try row.decode("n", as: Int.self)
            Issue.record("decoding \"x\" as Int should fail")
        } catch let error as PostgresError {
            #expect(error.kind == .decoding)
            #expect(error.message.contains("\"n\"") && error.message.contains("Int"))
        }
        do {
            _ = try row.decode("missing", as: String.self)
            Issue.record("decoding NULL as String should fail")
        } catch let error as PostgresError {
            #expect(error.message.contains("\"missing\"") && error.message.contains("NULL"))
        }
        #expect(try row.decode("missing", as: String?.self) == nil)
        #expect(try row.decode(0, as: String.self) == "x")
        #expect(throws: PostgresError.self) { try row.decode("nope", as: String.self) }
        #expect(throws: PostgresError.self) { try row.decode(5, as: String.self) }
    }
}
