@testable import PostgresClient
import Testing

@Suite("Protocol messages, offline")
struct MessageCodecTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("Startup: length, protocol 3.0, name/value pairs, final NUL")
    func startup() {
        let encoded = FrontendMessage.startup(parameters: [("user", "u"), ("database", "d")]).bytes
        let body: [UInt8] = [0, 3, 0, 0] + bytes("user\0u\0database\0d\0\0")
        #expect(encoded == [0, 0, 0, UInt8(4 + body.count)] + body)
    }

    @Test("SSLRequest and CancelRequest")
    func sslAndCancel() {
        #expect(FrontendMessage.sslRequest.bytes == [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])
        #expect(FrontendMessage.cancelRequest(processID: 1, secretKey: -1).bytes
            == [0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff])
    }

    @Test("Query, Sync and Terminate")
    func simpleMessages() {
        #expect(FrontendMessage.query("SELECT 1").bytes == [UInt8(ascii: "Q"), 0, 0, 0, 13] + bytes("SELECT 1\0"))
        #expect(FrontendMessage.sync.bytes == [UInt8(ascii: "S"), 0, 0, 0, 4])
        #expect(FrontendMessage.terminate.bytes == [UInt8(ascii: "X"), 0, 0, 0, 4])
    }

    @Test("Parse, Bind (with a NULL and a UTF-8 value), Describe, Execute")
    func extendedQuery() {
        #expect(FrontendMessage.parse(statement: "", sql: "SELECT $1", parameterTypes: []).bytes
            == [UInt8(ascii: "P"), 0, 0, 0, 17] + bytes("\0SELECT $1\0") + [0, 0])
        let bind = FrontendMessage.bind(portal: "", statement: "", parameters: ["é", nil]).bytes
        let body: [UInt8] = [0, 0] + [0, 0] + [0, 2] + [0, 0, 0, 2, 0xc3, 0xa9] + [0xff, 0xff, 0xff, 0xff] + [0, 0]
        #expect(bind == [UInt8(ascii: "B"), 0, 0, 0, UInt8(4 + body.count)] + body)
        #expect(FrontendMessage.describePortal("").bytes == [UInt8(ascii: "D"), 0, 0, 0, 6, UInt8(ascii: "P"), 0])
        #expect(FrontendMessage.execute(portal: "").bytes == [UInt8(ascii: "E"), 0, 0, 0, 9, 0, 0, 0, 0, 0])
    }

    @Test("Password and SASL messages")
    func passwordMessages() {
        #expect(FrontendMessage.password("md5abc").bytes == [UInt8(ascii: "p"), 0, 0, 0, 11] + bytes("md5abc\0"))
        #expect(FrontendMessage.saslInitialResponse(mechanism: "SCRAM-SHA-256", data: bytes("n,,")).bytes
            == [UInt8(ascii: "p"), 0, 0, 0, 25] + bytes("SCRAM-SHA-256\0") + [0, 0, 0, 3] + bytes("n,,"))
        #expect(FrontendMessage.saslResponse(data: bytes("c=biws")).bytes == [UInt8(ascii: "p"), 0, 0, 0, 10] + bytes("c=biws"))
    }

    private func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count + 4)
        return [type.asciiValue!, UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + body
    }

    private func decodeAll(_ stream: [UInt8]) throws -> [BackendMessage] {
        var decoder = BackendMessageDecoder()
        decoder.append(stream)
        var messages: [BackendMessage] = []
        while let message = try decoder.next() { messages.append(message) }
        return messages
    }

    @Test("Authentication requests: ok, cleartext, md5 with salt, SASL mechanisms, continue, final")
    func authentication() throws {
        let stream = message("R", [0, 0, 0, 0]) + message("R", [0, 0, 0, 3]) + message("R", [0, 0, 0, 5, 1, 2, 3, 4])
            + message("R", [0, 0, 0, 10] + bytes("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0"))
            + message("R", [0, 0, 0, 11] + bytes("r=abc")) + message("R", [0, 0, 0, 12] + bytes("v=xyz"))
            + message("R", [0, 0, 0, 7])
        #expect(try decodeAll(stream) == [
            .authentication(.ok), .authentication(.cleartextPassword), .authentication(.md5Password(salt: [1, 2, 3, 4])),
            .authentication(.sasl(mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"])),
            .authentication(.saslContinue(data: bytes("r=abc"))), .authentication(.saslFinal(data: bytes("v=xyz"))),
            .authentication(.unsupported(code: 7)),
        ])
    }

    @Test("Startup replies: ParameterStatus, BackendKeyData, ReadyForQuery")
    func startupReplies() throws {
        let stream = message("S", bytes("TimeZone\0UTC\0")) + message("K", [0, 0, 0x30, 0x39, 0xff, 0xff, 0xff, 0xfe])
            + message("Z", [UInt8(ascii: "I")])
        #expect(try decodeAll(stream) == [
            .parameterStatus(name: "TimeZone", value: "UTC"), .backendKeyData(processID: 12345, secretKey: -2),
            .readyForQuery(transactionStatus: UInt8(ascii: "I")),
        ])
    }

    @Test("Query replies: RowDescription, DataRow with NULL and UTF-8, CommandComplete, completions")
    func queryReplies() throws {
        let field = bytes("id\0") + [0, 0, 0, 1] + [0, 1] + [0, 0, 0, 23] + [0, 4] + [0xff, 0xff, 0xff, 0xff] + [0, 0]
        let field2 = bytes("name\0") + [0, 0, 0, 0] + [0, 0] + [0, 0, 0, 25] + [0xff, 0xff] + [0xff, 0xff, 0xff, 0xff] + [0, 0]
        let row: [UInt8] = [0, 3] + [0, 0, 0, 2] + bytes("42") + [0xff, 0xff, 0xff, 0xff] + [0, 0, 0, 4] + [0xf0, 0x9f, 0x94, 0xa5]
        let stream = message("1", []) + message("2", []) + message("T", [0, 2] + field + field2) + message("D", row)
            + message("C", bytes("SELECT 1\0")) + message("n", []) + message("I", []) + message("Z", [UInt8(ascii: "T")])
        #expect(try decodeAll(stream) == [
            .parseComplete, .bindComplete,
            .rowDescription([PostgresColumn(name: "id", typeOID: 23), PostgresColumn(name: "name", typeOID: 25)]),
            .dataRow(["42", nil, "🔥"]), .commandComplete(tag: "SELECT 1"), .noData, .emptyQueryResponse,
            .readyForQuery(transactionStatus: UInt8(ascii: "T")),
        ])
    }

    @Test("ErrorResponse fields become a PostgresError with SQLSTATE, detail, hint and constraint")
    func errorResponse() throws {
        let body = bytes("SERROR\0VERROR\0C23505\0Mduplicate key value violates unique constraint \"users_email_key\"\0")
            + bytes("DKey (email)=(a@b) already exists.\0Htry another\0nusers_email_key\0") + [0]
        let messages = try decodeAll(message("E", body))
        guard case .errorResponse(let fields) = messages.first else {
            Issue.record("expected an ErrorResponse, got \(messages)")
            return
        }
        let error = PostgresError(serverFields: fields)
        #expect(error.kind == .server)
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "users_email_key")
        #expect(error.detail == "Key (email)=(a@b) already exists.")
        #expect(error.hint == "try another")
        #expect(error.severity == "ERROR")
        #expect(!error.isConnectionFailure)
        #expect(PostgresError(serverFields: [UInt8(ascii: "C"): "28P01", UInt8(ascii: "M"): "x"]).kind == .authentication)
    }

    @Test("Messages split across reads are reassembled; partial input yields nothing yet")
    func partialInput() throws {
        let stream = message("C", bytes("INSERT 0 1\0")) + message("Z", [UInt8(ascii: "I")])
        var decoder = BackendMessageDecoder()
        var messages: [BackendMessage] = []
        for byte in stream {
            decoder.append([byte])
            while let message = try decoder.next() { messages.append(message) }
        }
        #expect(messages == [.commandComplete(tag: "INSERT 0 1"), .readyForQuery(transactionStatus: UInt8(ascii: "I"))])
        #expect(!decoder.hasBufferedBytes)
    }

    @Test("Malformed input is a protocol violation")
    func malformed() {
        var decoder = BackendMessageDecoder()
        decoder.append([UInt8(ascii: "Z"), 0, 0, 0, 2])
        #expect(throws: PostgresError.self) { _ = try decoder.next() }
        #expect(throws: PostgresError.self) { _ = try decodeAll(message("C", bytes("no terminator"))) }
        #expect(throws: PostgresError.self) { _ = try decodeAll(message("D", [0, 1, 0, 0, 0, 9, 1])) }
        #expect(throws: PostgresError.self) { _ = try decodeAll(message("?", [])) }
    }

    @Test("isConnectionFailure: connection kinds and SQLSTATE 08xxx, 57P01-3, 53300")
    func connectionFailure() {
        for kind: PostgresError.Kind in [.connection, .tls, .timeout, .closed, .poolTimeout] {
            #expect(PostgresError(kind: kind, message: "").isConnectionFailure)
        }
        for kind: PostgresError.Kind in [.server, .authentication, .decoding, .protocolViolation] {
            #expect(!PostgresError(kind: kind, message: "").isConnectionFailure)
        }
        for state in ["08006", "57P01", "57P02", "57P03", "53300"] {
            var error = PostgresError(kind: .server, message: "")
            error.sqlState = state
            #expect(error.isConnectionFailure, "\(state)")
        }
        var syntax = PostgresError(kind: .server, message: "")
        syntax.sqlState = "42601"
        #expect(!syntax.isConnectionFailure)
    }

    @Test("affectedRows reads the command tag")
    func affectedRows() {
        #expect(PostgresQueryResult(columns: [], textRows: [], commandTag: "INSERT 0 5").affectedRows == 5)
        #expect(PostgresQueryResult(columns: [], textRows: [], commandTag: "UPDATE 3").affectedRows == 3)
        #expect(PostgresQueryResult(columns: [], textRows: [], commandTag: "CREATE TABLE").affectedRows == 0)
    }
}
