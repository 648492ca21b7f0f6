/// An error from the client or the server.
///
/// Server errors (``Kind/server``, and ``Kind/authentication`` when the server refused the login) carry the
/// fields of the server's ErrorResponse: ``sqlState``, ``detail``, ``hint``, ``constraint`` and ``severity``.
///
/// ```swift
/// do { try connection.query("INSERT INTO users (email) VALUES ($1)", [email]) }
/// catch let error as PostgresError where error.sqlState == "23505" { /* duplicate */ }
/// ```
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, broadly.
    public enum Kind: Sendable {
        /// The TCP connection could not be made, or it broke.
        case connection
        /// The server refused the credentials, or asked for a method this client cannot do.
        case authentication
        /// TLS could not be set up as the sslmode demands, or a TLS read or write failed.
        case tls
        /// The server answered with an ErrorResponse.
        case server
        /// The server sent something this client did not expect.
        case protocolViolation
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// No answer within the configured timeout.
        case timeout
        /// No pooled connection became free within the pool's acquire timeout.
        case poolTimeout
        /// The connection or the pool was already closed.
        case closed
    }

    /// What went wrong, broadly.
    public let kind: Kind
    /// The server's message, or the client's explanation.
    public let message: String
    /// The SQLSTATE code of a server error, such as "23505".
    public var sqlState: String?
    /// The server's DETAIL.
    public var detail: String?
    /// The server's HINT.
    public var hint: String?
    /// The name of the violated constraint, when the server names one.
    public var constraint: String?
    /// The server's severity (ERROR, FATAL, PANIC).
    public var severity: String?

    /// An error of `kind` with `message` and no server fields.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// Whether the database, not the request, is at fault: the connection is unusable or the server is
    /// unavailable (connection, TLS, timeout, closed, pool timeout; SQLSTATE class 08, 57P01, 57P02,
    /// 57P03, 53300). HTTP handlers answer 503 for these.
    public var isConnectionFailure: Bool {
        switch kind {
        case .connection, .tls, .timeout, .closed, .poolTimeout:
            return true
        case .server, .authentication:
            guard let sqlState else { return false }
            return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(sqlState)
        case .protocolViolation, .decoding:
            return false
        }
    }

    /// Whether the server reported the error as fatal to the session (the server closes the connection).
    var isFatal: Bool { severity == "FATAL" || severity == "PANIC" }

    public var description: String {
        var text = "PostgreSQL \(kind) error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let detail { text += " (detail: \(detail))" }
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}

extension PostgresError {
    /// The error an ErrorResponse describes; `kind` is ``Kind/authentication`` for SQLSTATE class 28.
    init(serverFields fields: [UInt8: String], kind: Kind? = nil) {
        let sqlState = fields[UInt8(ascii: "C")]
        let resolvedKind = kind ?? ((sqlState?.hasPrefix("28") ?? false) ? .authentication : .server)
        self.init(kind: resolvedKind, message: fields[UInt8(ascii: "M")] ?? "unknown server error")
        self.sqlState = sqlState
        self.detail = fields[UInt8(ascii: "D")]
        self.hint = fields[UInt8(ascii: "H")]
        self.constraint = fields[UInt8(ascii: "n")]
        self.severity = fields[UInt8(ascii: "V")] ?? fields[UInt8(ascii: "S")]
    }

    static func protocolViolation(_ message: String) -> PostgresError {
        PostgresError(kind: .protocolViolation, message: message)
    }
}
