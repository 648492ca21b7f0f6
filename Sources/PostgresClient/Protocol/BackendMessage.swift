/// A message from the server to the client (protocol 3.0), parsed from its type byte and body by
/// ``decode(type:body:)``.
package enum BackendMessage: Equatable, Sendable {
    /// An authentication request or result ('R').
    case authentication(AuthenticationRequest)
    /// A run-time parameter's value ('S').
    case parameterStatus(name: String, value: String)
    /// The backend's process ID and cancellation key ('K').
    case backendKeyData(processID: Int32, secretKey: Int32)
    /// Ready for a new query; the transaction status: 'I' idle, 'T' in a transaction, 'E' in a failed one ('Z').
    case readyForQuery(transactionStatus: UInt8)
    /// The columns of the rows to come ('T').
    case rowDescription([PostgresColumn])
    /// One row, text-format values, `nil` for NULL ('D').
    case dataRow([String?])
    /// A statement finished; its command tag such as "INSERT 0 1" ('C').
    case commandComplete(tag: String)
    /// An error: field code → value ('E').
    case errorResponse(fields: [UInt8: String])
    /// A notice: field code → value ('N').
    case noticeResponse(fields: [UInt8: String])
    /// Parse succeeded ('1').
    case parseComplete
    /// Bind succeeded ('2').
    case bindComplete
    /// Close succeeded ('3').
    case closeComplete
    /// The statement returns no rows ('n').
    case noData
    /// The query string was empty ('I').
    case emptyQueryResponse
    /// Execute stopped at its row limit ('s').
    case portalSuspended
    /// A NOTIFY on a channel this session listens to ('A').
    case notification(processID: Int32, channel: String, payload: String)
    /// The server speaks an older minor protocol version or lacks some options ('v').
    case negotiateProtocolVersion(newestMinorVersion: Int32, unrecognizedOptions: [String])
    /// The parameter types of a prepared statement ('t').
    case parameterDescription([UInt32])

    /// What an 'R' message asks for.
    package enum AuthenticationRequest: Equatable, Sendable {
        /// Authentication succeeded.
        case ok
        /// Send the password in cleartext.
        case cleartextPassword
        /// Send "md5" + md5hex(md5hex(password + user) + salt).
        case md5Password(salt: [UInt8])
        /// Start SASL with one of these mechanisms.
        case sasl(mechanisms: [String])
        /// The server-first-message of SASL.
        case saslContinue(data: [UInt8])
        /// The server-final-message of SASL.
        case saslFinal(data: [UInt8])
        /// A method this client does not implement (Kerberos, GSSAPI, SSPI): its code.
        case unsupported(code: Int32)
    }

    /// Parses one message's body. Throws a ``PostgresError/Kind/protocolViolation`` error for an unknown
    /// type or a malformed body.
    package static func decode(type: UInt8, body: ArraySlice<UInt8>) throws -> BackendMessage {
        var reader = MessageBodyReader(body)
        switch type {
        case UInt8(ascii: "D"):
            let count = Int(try reader.readInt16())
            var values: [String?] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                let length = Int(try reader.readInt32())
                values.append(length < 0 ? nil : try reader.readString(count: length))
            }
            return .dataRow(values)
        case UInt8(ascii: "C"):
            return .commandComplete(tag: try reader.readCString())
        case UInt8(ascii: "Z"):
            return .readyForQuery(transactionStatus: try reader.readUInt8())
        case UInt8(ascii: "1"): return .parseComplete
        case UInt8(ascii: "2"): return .bindComplete
        case UInt8(ascii: "3"): return .closeComplete
        case UInt8(ascii: "n"): return .noData
        case UInt8(ascii: "I"): return .emptyQueryResponse
        case UInt8(ascii: "s"): return .portalSuspended
        case UInt8(ascii: "T"):
            let count = Int(try reader.readInt16())
            var columns: [PostgresColumn] = []
            columns.reserveCapacity(count)
            for _ in 0..<count {
                let name = try reader.readCString()
                _ = try reader.readInt32() // table OID
                _ = try reader.readInt16() // attribute number
                let typeOID = UInt32(bitPattern: try reader.readInt32())
                _ = try reader.readInt16() // type length
                _ = try reader.readInt32() // type modifier
                _ = try reader.readInt16() // format code
                columns.append(PostgresColumn(name: name, typeOID: typeOID))
            }
            return .rowDescription(columns)
        case UInt8(ascii: "E"):
            return .errorResponse(fields: try readFields(&reader))
        case UInt8(ascii: "N"):
            return .noticeResponse(fields: try readFields(&reader))
        case UInt8(ascii: "S"):
            return .parameterStatus(name: try reader.readCString(), value: try reader.readCString())
        case UInt8(ascii: "K"):
            return .backendKeyData(processID: try reader.readInt32(), secretKey: try reader.readInt32())
        case UInt8(ascii: "R"):
            return .authentication(try decodeAuthentication(&reader))
        case UInt8(ascii: "A"):
            return .notification(processID: try reader.readInt32(), channel: try reader.readCString(), payload: try reader.readCString())
        case UInt8(ascii: "v"):
            let minor = try reader.readInt32()
            let count = Int(try reader.readInt32())
            var options: [String] = []
            for _ in 0..<max(0, count) { options.append(try reader.readCString()) }
            return .negotiateProtocolVersion(newestMinorVersion: minor, unrecognizedOptions: options)
        case UInt8(ascii: "t"):
            let count = Int(try reader.readInt16())
            var types: [UInt32] = []
            for _ in 0..<max(0, count) { types.append(UInt32(bitPattern: try reader.readInt32())) }
            return .parameterDescription(types)
        default:
            throw PostgresError.protocolViolation("unexpected message type '\(Character(Unicode.Scalar(type)))' (\(type)) from the server")
        }
    }

    private static func decodeAuthentication(_ reader: inout MessageBodyReader) throws -> AuthenticationRequest {
        let code = try reader.readInt32()
        switch code {
        case 0: return .ok
        case 3: return .cleartextPassword
        case 5: return .md5Password(salt: try reader.readBytes(count: 4))
        case 10:
            var mechanisms: [String] = []
            while true {
                let mechanism = try reader.readCString()
                if mechanism.isEmpty { break }
                mechanisms.append(mechanism)
            }
            return .sasl(mechanisms: mechanisms)
        case 11: return .saslContinue(data: reader.readRemaining())
        case 12: return .saslFinal(data: reader.readRemaining())
        default: return .unsupported(code: code)
        }
    }

    private static func readFields(_ reader: inout MessageBodyReader) throws -> [UInt8: String] {
        var fields: [UInt8: String] = [:]
        while true {
            let code = try reader.readUInt8()
            if code == 0 { break }
            fields[code] = try reader.readCString()
        }
        return fields
    }
}
