/// A message from the client to the server (protocol 3.0), written into bytes by ``encode(into:)``.
///
/// Several messages are encoded into one buffer and sent with one write: a parameterised query is
/// Parse + Bind + Describe + Execute + Sync in a single packet.
package enum FrontendMessage: Equatable, Sendable {
    /// The first message of a session: protocol 3.0 and the startup parameters, in order.
    case startup(parameters: [(String, String)])
    /// Asks the server whether it speaks TLS; it answers one byte, 'S' or 'N'.
    case sslRequest
    /// A cleartext or md5 password ('p').
    case password(String)
    /// The first SASL message: the chosen mechanism and the client-first-message ('p').
    case saslInitialResponse(mechanism: String, data: [UInt8])
    /// A later SASL message: the client-final-message ('p').
    case saslResponse(data: [UInt8])
    /// A simple query: one or more statements, no parameters ('Q').
    case query(String)
    /// Parse into a (named or unnamed) prepared statement; parameter type OIDs (0 = let the server infer) ('P').
    case parse(statement: String, sql: String, parameterTypes: [UInt32])
    /// Bind text-format parameters (nil = NULL) to a portal; results are asked for in text format ('B').
    case bind(portal: String, statement: String, parameters: [String?])
    /// Describe a portal ('D', 'P').
    case describePortal(String)
    /// Execute a portal, all rows ('E').
    case execute(portal: String)
    /// End of an extended-protocol batch ('S').
    case sync
    /// End of the session ('X').
    case terminate
    /// Ask the server to cancel the running query of a backend (sent on a new connection).
    case cancelRequest(processID: Int32, secretKey: Int32)

    package static func == (lhs: FrontendMessage, rhs: FrontendMessage) -> Bool {
        var left: [UInt8] = [], right: [UInt8] = []
        lhs.encode(into: &left)
        rhs.encode(into: &right)
        return left == right
    }

    /// Appends the message's bytes (type byte, length, body) to `buffer`.
    package func encode(into buffer: inout [UInt8]) {
        switch self {
        case .startup(let parameters):
            let start = beginUntyped(&buffer)
            buffer.appendInt32(196_608) // 3.0
            for (name, value) in parameters {
                buffer.appendCString(name)
                buffer.appendCString(value)
            }
            buffer.append(0)
            finish(&buffer, lengthAt: start)
        case .sslRequest:
            buffer.appendInt32(8)
            buffer.appendInt32(80_877_103)
        case .cancelRequest(let processID, let secretKey):
            buffer.appendInt32(16)
            buffer.appendInt32(80_877_102)
            buffer.appendInt32(processID)
            buffer.appendInt32(secretKey)
        case .password(let password):
            let start = begin(&buffer, "p")
            buffer.appendCString(password)
            finish(&buffer, lengthAt: start)
        case .saslInitialResponse(let mechanism, let data):
            let start = begin(&buffer, "p")
            buffer.appendCString(mechanism)
            buffer.appendInt32(Int32(data.count))
            buffer.append(contentsOf: data)
            finish(&buffer, lengthAt: start)
        case .saslResponse(let data):
            let start = begin(&buffer, "p")
            buffer.append(contentsOf: data)
            finish(&buffer, lengthAt: start)
        case .query(let sql):
            let start = begin(&buffer, "Q")
            buffer.appendCString(sql)
            finish(&buffer, lengthAt: start)
        case .parse(let statement, let sql, let parameterTypes):
            let start = begin(&buffer, "P")
            buffer.appendCString(statement)
            buffer.appendCString(sql)
            buffer.appendInt16(Int16(truncatingIfNeeded: parameterTypes.count))
            for type in parameterTypes { buffer.appendInt32(Int32(bitPattern: type)) }
            finish(&buffer, lengthAt: start)
        case .bind(let portal, let statement, let parameters):
            let start = begin(&buffer, "B")
            buffer.appendCString(portal)
            buffer.appendCString(statement)
            buffer.appendInt16(0) // all parameters in text format
            buffer.appendInt16(Int16(truncatingIfNeeded: parameters.count))
            for parameter in parameters {
                if let parameter {
                    let lengthIndex = buffer.count
                    buffer.appendInt32(0)
                    buffer.append(contentsOf: parameter.utf8)
                    buffer.setInt32(Int32(buffer.count - lengthIndex - 4), at: lengthIndex)
                } else {
                    buffer.appendInt32(-1)
                }
            }
            buffer.appendInt16(0) // all results in text format
            finish(&buffer, lengthAt: start)
        case .describePortal(let portal):
            let start = begin(&buffer, "D")
            buffer.append(UInt8(ascii: "P"))
            buffer.appendCString(portal)
            finish(&buffer, lengthAt: start)
        case .execute(let portal):
            let start = begin(&buffer, "E")
            buffer.appendCString(portal)
            buffer.appendInt32(0)
            finish(&buffer, lengthAt: start)
        case .sync:
            buffer.append(UInt8(ascii: "S"))
            buffer.appendInt32(4)
        case .terminate:
            buffer.append(UInt8(ascii: "X"))
            buffer.appendInt32(4)
        }
    }

    /// The bytes of this message alone.
    package var bytes: [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }

    private func begin(_ buffer: inout [UInt8], _ type: Unicode.Scalar) -> Int {
        buffer.append(UInt8(ascii: type))
        return beginUntyped(&buffer)
    }

    private func beginUntyped(_ buffer: inout [UInt8]) -> Int {
        let start = buffer.count
        buffer.appendInt32(0)
        return start
    }

    private func finish(_ buffer: inout [UInt8], lengthAt start: Int) {
        buffer.setInt32(Int32(buffer.count - start), at: start)
    }
}

extension [UInt8] {
    mutating func appendInt16(_ value: Int16) {
        let bits = UInt16(bitPattern: value)
        append(UInt8(truncatingIfNeeded: bits >> 8))
        append(UInt8(truncatingIfNeeded: bits))
    }

    mutating func appendInt32(_ value: Int32) {
        let bits = UInt32(bitPattern: value)
        append(UInt8(truncatingIfNeeded: bits >> 24))
        append(UInt8(truncatingIfNeeded: bits >> 16))
        append(UInt8(truncatingIfNeeded: bits >> 8))
        append(UInt8(truncatingIfNeeded: bits))
    }

    mutating func setInt32(_ value: Int32, at index: Int) {
        let bits = UInt32(bitPattern: value)
        self[index] = UInt8(truncatingIfNeeded: bits >> 24)
        self[index + 1] = UInt8(truncatingIfNeeded: bits >> 16)
        self[index + 2] = UInt8(truncatingIfNeeded: bits >> 8)
        self[index + 3] = UInt8(truncatingIfNeeded: bits)
    }

    mutating func appendCString(_ string: String) {
        append(contentsOf: string.utf8)
        append(0)
    }
}
