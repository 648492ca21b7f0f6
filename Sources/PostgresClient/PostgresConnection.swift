import FoundationEssentials
import Hashing

/// One blocking connection to PostgreSQL (protocol 3.0 over TCP, optionally TLS), like libpq's `PGconn`.
///
/// Use it from one thread at a time (it is not `Sendable`); share a ``PostgresPool`` between threads instead.
///
/// ```swift
/// let connection = try PostgresConnection.connect(configuration)
/// defer { connection.close() }
/// let result = try connection.query("SELECT id, title FROM incidents WHERE status = $1", ["open"])
/// for row in result.rows { print(try row.decode("id", as: Int64.self), try row.decode("title", as: String.self)) }
/// ```
public final class PostgresConnection {
    private let configuration: PostgresConfiguration
    private let transport: SocketTransport
    private var decoder = BackendMessageDecoder()
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var writeBuffer: [UInt8] = []
    private var secretKey: Int32 = 0

    /// Whether the connection was closed (by ``close()``, or after an I/O failure, a timeout or a fatal error).
    public private(set) var isClosed = false
    /// The server process serving this connection (`pg_backend_pid()`).
    public private(set) var backendProcessID: Int32 = 0
    /// The parameters the server reported (server_version, TimeZone, DateStyle, …), kept up to date.
    public private(set) var serverParameters: [String: String] = [:]
    /// The transaction status of the last ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' failed transaction.
    package private(set) var transactionStatus = UInt8(ascii: "I")
    /// How the login was authenticated: "trust", "password", "md5" or "scram-sha-256".
    package private(set) var authenticationMethod = "trust"

    /// Whether the connection is encrypted with TLS.
    public var usesTLS: Bool { transport.usesTLS }

    private init(configuration: PostgresConfiguration, transport: SocketTransport) {
        self.configuration = configuration
        self.transport = transport
        self.readBuffer = .allocate(byteCount: 64 * 1024, alignment: 8)
        writeBuffer.reserveCapacity(4096)
    }

    deinit {
        close()
        readBuffer.deallocate()
    }

    /// Opens a connection: TCP connect, TLS as the sslmode says, startup and authentication (SCRAM-SHA-256,
    /// md5, cleartext or trust), all within ``PostgresConfiguration/connectTimeoutSeconds``.
    public static func connect(_ configuration: PostgresConfiguration) throws -> PostgresConnection {
        let transport = try SocketTransport.connect(host: configuration.hostAddress ?? configuration.host, port: configuration.port,
                                                    timeoutSeconds: configuration.connectTimeoutSeconds)
        transport.setTimeout(seconds: configuration.connectTimeoutSeconds)
        let connection = PostgresConnection(configuration: configuration, transport: transport)
        do {
            if configuration.sslMode.attemptsTLS { try connection.negotiateTLS() }
            try connection.startup()
        } catch {
            connection.closeWithoutTerminate()
            throw error
        }
        transport.setTimeout(seconds: configuration.queryTimeoutSeconds)
        return connection
    }

    // MARK: Queries

    /// Runs one statement with bound parameters (extended protocol: Parse, Bind, Describe, Execute and Sync in
    /// one write, one round trip). Values are sent apart from the SQL, in text format with type OID 0: the
    /// server infers their types (cast in SQL when it cannot, e.g. `$1::jsonb`).
    ///
    /// A server error leaves the connection usable (the error is thrown after ReadyForQuery).
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> PostgresQueryResult {
        try ensureOpen()
        guard parameters.count <= Int(UInt16.max) else {
            throw PostgresError(kind: .protocolViolation, message: "too many parameters (\(parameters.count)); the protocol allows 65535")
        }
        writeBuffer.removeAll(keepingCapacity: true)
        FrontendMessage.parse(statement: "", sql: sql, parameterTypes: []).encode(into: &writeBuffer)
        FrontendMessage.bind(portal: "", statement: "", parameters: parameters.map { $0?.postgresText }).encode(into: &writeBuffer)
        FrontendMessage.describePortal("").encode(into: &writeBuffer)
        FrontendMessage.execute(portal: "").encode(into: &writeBuffer)
        FrontendMessage.sync.encode(into: &writeBuffer)
        try send(writeBuffer)

        var columns: [PostgresColumn] = []
        var layout = PostgresRowLayout(columns: [])
        var rows: [PostgresRow] = []
        var commandTag = ""
        var serverError: PostgresError?
        while true {
            switch try receive() {
            case .dataRow(let values):
                rows.append(PostgresRow(layout: layout, values: values))
            case .rowDescription(let described):
                columns = described
                layout = PostgresRowLayout(columns: described)
            case .commandComplete(let tag):
                commandTag = tag
            case .parseComplete, .bindComplete, .noData, .emptyQueryResponse, .portalSuspended, .closeComplete, .parameterDescription:
                continue
            case .errorResponse(let fields):
                serverError = try serverFailure(fields)
            case .readyForQuery(let status):
                transactionStatus = status
                if let serverError { throw serverError }
                return PostgresQueryResult(columns: columns, rows: rows, commandTag: commandTag)
            case let other:
                try handleAsynchronous(other)
            }
        }
    }

    /// Runs SQL with the simple query protocol: several statements separated by semicolons, no parameters
    /// (for migrations). Results are discarded; the first error is thrown once the server is ready again.
    public func execute(_ sql: String) throws {
        try ensureOpen()
        try send(FrontendMessage.query(sql).bytes)
        var serverError: PostgresError?
        while true {
            switch try receive() {
            case .rowDescription, .dataRow, .commandComplete, .emptyQueryResponse:
                continue
            case .errorResponse(let fields):
                serverError = try serverFailure(fields)
            case .readyForQuery(let status):
                transactionStatus = status
                if let serverError { throw serverError }
                return
            case let other:
                try handleAsynchronous(other)
            }
        }
    }

    /// Runs `body` between BEGIN and COMMIT. When `body` throws, the transaction is rolled back and the error
    /// rethrown. When COMMIT answers ROLLBACK (a statement failed inside and `body` swallowed the error), this
    /// throws an error with SQLSTATE 25P02.
    @discardableResult
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            if !isClosed && transactionStatus != UInt8(ascii: "I") { try? execute("ROLLBACK") }
            throw error
        }
        let commit = try query("COMMIT")
        if commit.commandTag == "ROLLBACK" {
            var error = PostgresError(kind: .server, message: "the transaction was rolled back: a statement in it failed (COMMIT answered ROLLBACK)")
            error.sqlState = "25P02"
            throw error
        }
        return value
    }

    /// Sends Terminate and closes the socket. Safe to call more than once.
    public func close() {
        guard !isClosed else { return }
        try? transport.write(FrontendMessage.terminate.bytes)
        closeWithoutTerminate()
    }

    /// Whether the idle socket has input or was hung up: the server closed it (or sent a FATAL error) while
    /// the connection sat in a pool.
    package var isStaleWhileIdle: Bool {
        isClosed || decoder.hasBufferedBytes || transport.hasPendingInputOrHangup()
    }

    // MARK: Startup

    private func negotiateTLS() throws {
        try send(FrontendMessage.sslRequest.bytes)
        var answer: UInt8 = 0
        let count = try withUnsafeMutableBytes(of: &answer) { try transport.read(into: $0) }
        guard count == 1 else { throw PostgresError.protocolViolation("no answer to SSLRequest") }
        switch answer {
        case UInt8(ascii: "S"):
            do {
                try transport.startTLS(host: configuration.host, mode: configuration.sslMode,
                                       rootCertificateFile: configuration.sslRootCertFile)
            } catch var error as PostgresError {
                if error.kind == .timeout || error.kind == .connection {
                    error = PostgresError(kind: .tls, message: "\(error.message), sslmode=\(configuration.sslMode.rawValue)")
                }
                throw error
            }
        case UInt8(ascii: "N"):
            if configuration.sslMode.requiresTLS {
                throw PostgresError(kind: .tls, message: "server does not support SSL, but sslmode=\(configuration.sslMode.rawValue)")
            }
        default:
            throw PostgresError.protocolViolation("unexpected answer \(answer) to SSLRequest (sslmode=\(configuration.sslMode.rawValue))")
        }
    }

    private func startup() throws {
        let parameters: [(String, String)] = [
            ("user", configuration.user),
            ("database", configuration.database),
            ("application_name", configuration.applicationName),
            ("client_encoding", "UTF8"),
            ("DateStyle", "ISO"),
            ("TimeZone", "UTC"),
        ]
        try send(FrontendMessage.startup(parameters: parameters).bytes)
        var scram: SCRAMSHA256Client?
        var scramVerified = false
        while true {
            switch try receive() {
            case .authentication(let request):
                switch request {
                case .ok:
                    if scram != nil && !scramVerified {
                        throw PostgresError(kind: .authentication, message: "the server ended SCRAM-SHA-256 without proving it knows the password")
                    }
                case .cleartextPassword:
                    authenticationMethod = "password"
                    try send(FrontendMessage.password(try requirePassword("password")).bytes)
                case .md5Password(let salt):
                    authenticationMethod = "md5"
                    let password = try requirePassword("md5")
                    let inner = MD5Digest.hexHash(password + configuration.user)
                    try send(FrontendMessage.password("md5" + MD5Digest.hexHash(Array(inner.utf8) + salt)).bytes)
                case .sasl(let mechanisms):
                    guard mechanisms.contains("SCRAM-SHA-256") else {
                        throw PostgresError(kind: .authentication, message: "the server offers SASL mechanisms \(mechanisms.joined(separator: ", ")); this client supports SCRAM-SHA-256 only")
                    }
                    authenticationMethod = "scram-sha-256"
                    let client = SCRAMSHA256Client(password: try requirePassword("SCRAM-SHA-256"))
                    scram = client
                    try send(FrontendMessage.saslInitialResponse(mechanism: "SCRAM-SHA-256", data: Array(client.clientFirstMessage.utf8)).bytes)
                case .saslContinue(let data):
                    guard var client = scram else { throw PostgresError.protocolViolation("SASL continue before SASL start") }
                    let final = try client.clientFinalMessage(serverFirst: String(decoding: data, as: UTF8.self))
                    scram = client
                    try send(FrontendMessage.saslResponse(data: Array(final.utf8)).bytes)
                case .saslFinal(let data):
                    guard let client = scram else { throw PostgresError.protocolViolation("SASL final before SASL start") }
                    try client.verifyServerFinal(String(decoding: data, as: UTF8.self))
                    scramVerified = true
                case .unsupported(let code):
                    throw PostgresError(kind: .authentication, message: "the server asks for authentication method \(code) (Kerberos/GSSAPI/SSPI), which this client does not support")
                }
            case .backendKeyData(let processID, let key):
                backendProcessID = processID
                secretKey = key
            case .readyForQuery(let status):
                transactionStatus = status
                return
            case .errorResponse(let fields):
                throw PostgresError(serverFields: fields)
            case let other:
                try handleAsynchronous(other)
            }
        }
    }

    private func requirePassword(_ method: String) throws -> String {
        guard let password = configuration.password else {
            throw PostgresError(kind: .authentication, message: "the server asks for a password (\(method)) for user \"\(configuration.user)\", but the configuration has none")
        }
        return password
    }

    // MARK: I/O

    private func ensureOpen() throws {
        if isClosed { throw PostgresError(kind: .closed, message: "the connection is closed") }
    }

    private func send(_ bytes: [UInt8]) throws {
        do {
            try transport.write(bytes)
        } catch {
            closeWithoutTerminate()
            throw error
        }
    }

    private func receive() throws -> BackendMessage {
        do {
            while true {
                if let message = try decoder.next() { return message }
                let count = try transport.read(into: readBuffer)
                decoder.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            }
        } catch let error as PostgresError {
            if error.kind == .timeout { sendCancelRequest() }
            closeWithoutTerminate()
            throw error
        }
    }

    /// The error of an ErrorResponse during a query; a FATAL one also closes the connection (the server does).
    private func serverFailure(_ fields: [UInt8: String]) throws -> PostgresError {
        let error = PostgresError(serverFields: fields, kind: .server)
        if error.isFatal {
            closeWithoutTerminate()
            throw error
        }
        return error
    }

    private func handleAsynchronous(_ message: BackendMessage) throws {
        switch message {
        case .parameterStatus(let name, let value):
            serverParameters[name] = value
        case .noticeResponse, .notification, .negotiateProtocolVersion:
            break
        default:
            closeWithoutTerminate()
            throw PostgresError.protocolViolation("unexpected message from the server: \(message)")
        }
    }

    /// Asks the server, on a new connection, to cancel the query that timed out (best effort).
    private func sendCancelRequest() {
        guard backendProcessID != 0,
              let cancel = try? SocketTransport.connect(host: configuration.hostAddress ?? configuration.host, port: configuration.port,
                                                        timeoutSeconds: min(configuration.connectTimeoutSeconds, 2))
        else { return }
        try? cancel.write(FrontendMessage.cancelRequest(processID: backendProcessID, secretKey: secretKey).bytes)
        cancel.close()
    }

    private func closeWithoutTerminate() {
        isClosed = true
        transport.close()
    }
}
