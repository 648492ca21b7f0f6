import Foundation
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for tests: `initdb` into a fresh temporary directory, `pg_ctl start` on a
/// free 127.0.0.1 port (never the system cluster), and everything removed by ``shutdown()``.
///
/// As root, the server runs as `nobody` (PostgreSQL refuses root), through `runuser`; otherwise the binaries
/// run directly. Binaries are found under `/usr/lib/postgresql/*/bin` (the newest version); when they are
/// missing, ``start(_:)`` throws, so tests fail rather than skip.
///
/// With ``Options/tls``, a test CA and a server certificate for `127.0.0.1` and `localhost` are made with the
/// `openssl` command and the server runs with `ssl=on`. With ``Options/authMethod`` "md5", the superuser's
/// password is re-stored as an md5 hash (`password_encryption = md5`) and `pg_hba.conf` asks for md5.
///
/// ```swift
/// let server = try TestPostgresServer.start()
/// defer { server.shutdown() }
/// let connection = try PostgresConnection.connect(server.configuration(database: try server.createDatabase()))
/// ```
public final class TestPostgresServer: @unchecked Sendable {
    /// How the server is set up.
    public struct Options: Sendable {
        /// Whether the server has `ssl=on` with a certificate from a test CA.
        public var tls: Bool = false
        /// "scram-sha-256" (default) or "md5".
        public var authMethod: String = "scram-sha-256"

        /// Options: TLS off and SCRAM-SHA-256 by default.
        public init(tls: Bool = false, authMethod: String = "scram-sha-256") {
            self.tls = tls
            self.authMethod = authMethod
        }
    }

    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The superuser's password.
    public let password: String
    /// The superuser: "postgres".
    public let superuser = "postgres"
    /// The options the server was started with.
    public let options: Options

    private let directory: String
    private let binaries: String
    private let lock = NSLock()
    private var removed = false

    /// The test CA's certificate (PEM) when the server has TLS.
    public var caCertificatePath: String? { options.tls ? directory + "/ca.crt" : nil }

    /// The server's log file.
    public var logPath: String { directory + "/server.log" }

    private var dataDirectory: String { directory + "/data" }

    private init(options: Options, directory: String, binaries: String, port: Int, password: String) {
        self.options = options
        self.directory = directory
        self.binaries = binaries
        self.port = port
        self.password = password
    }

    deinit { shutdown() }

    /// Creates, configures and starts a server.
    public static func start(_ options: Options = Options()) throws -> TestPostgresServer {
        guard ["scram-sha-256", "md5"].contains(options.authMethod) else {
            throw TestPostgresServerError("authMethod must be \"scram-sha-256\" or \"md5\", not \"\(options.authMethod)\"")
        }
        let binaries = try findBinaries()
        let base = geteuid() == 0 ? "/tmp" : NSTemporaryDirectory()
        let directory = (base as NSString).appendingPathComponent("pgtest-\(UUID().uuidString.prefix(12).lowercased())")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let server = TestPostgresServer(options: options, directory: directory, binaries: binaries,
                                        port: try freePort(), password: UUID().uuidString.lowercased())
        do {
            try server.initialize()
            try server.start()
            if options.authMethod == "md5" { try server.switchToMD5() }
            Registry.shared.add(server)
            return server
        } catch {
            server.shutdown()
            throw error
        }
    }

    /// A configuration for the superuser on this server.
    public func configuration(database: String = "postgres", sslMode: PostgresSSLMode = .disable) -> PostgresConfiguration {
        var configuration = PostgresConfiguration(host: "127.0.0.1", port: port, database: database, user: superuser,
                                                  password: password, sslMode: sslMode)
        configuration.connectTimeoutSeconds = 5
        configuration.queryTimeoutSeconds = 30
        return configuration
    }

    /// Creates a fresh, uniquely named database (through ``PostgresConnection``) and returns its name.
    public func createDatabase() throws -> String {
        let name = "test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        let connection = try PostgresConnection.connect(configuration())
        defer { connection.close() }
        try connection.execute("CREATE DATABASE \(name)")
        return name
    }

    /// Starts the server (again) on the same data directory and port; returns when it accepts connections.
    public func start() throws {
        var settings = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        if options.tls {
            settings += " -c ssl=on -c ssl_cert_file=\(directory)/server.crt -c ssl_key_file=\(directory)/server.key"
        }
        try runAsServerUser(binaries + "/pg_ctl", ["-D", dataDirectory, "-l", logPath, "-w", "-t", "30", "-o", settings, "start"])
    }

    /// Stops the server (fast shutdown: sessions get FATAL 57P01 and are closed).
    public func stop() throws {
        try runAsServerUser(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "30", "stop"])
    }

    /// Stops and starts the server on the same data directory and port.
    public func restart() throws {
        try stop()
        try start()
    }

    /// Stops the server (immediate) and deletes its directory. Safe to call more than once.
    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        guard !removed else { return }
        removed = true
        if FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid") {
            try? runAsServerUser(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
        }
        try? FileManager.default.removeItem(atPath: directory)
        Registry.shared.remove(self)
    }

    /// Writes a new, unrelated CA certificate (PEM) into the server's directory and returns its path: the
    /// server certificate does not chain to it.
    public func makeUnrelatedCACertificate() throws -> String {
        let name = "other-ca-\(UUID().uuidString.prefix(8))"
        try Self.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                      "-nodes", "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).crt",
                                      "-days", "2", "-subj", "/CN=Unrelated Test CA",
                                      "-addext", "basicConstraints=critical,CA:TRUE",
                                      "-addext", "keyUsage=critical,keyCertSign,cRLSign"], log: directory + "/openssl.log")
        return "\(directory)/\(name).crt"
    }

    // MARK: Setup

    private func initialize() throws {
        let passwordFile = directory + "/pwfile"
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
        if options.tls { try makeCertificates() }
        try giveToServerUser(directory)
        try runAsServerUser(binaries + "/initdb", ["-D", dataDirectory, "-U", superuser, "--auth=scram-sha-256",
                                                   "--pwfile=\(passwordFile)", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"])
    }

    private func makeCertificates() throws {
        let log = directory + "/openssl.log"
        try Self.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                      "-nodes", "-keyout", "\(directory)/ca.key", "-out", "\(directory)/ca.crt",
                                      "-days", "2", "-subj", "/CN=PostgresClient Test CA",
                                      "-addext", "basicConstraints=critical,CA:TRUE",
                                      "-addext", "keyUsage=critical,keyCertSign,cRLSign"], log: log)
        try Self.run("/usr/bin/env", ["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                      "-nodes", "-keyout", "\(directory)/server.key", "-out", "\(directory)/server.csr",
                                      "-subj", "/CN=127.0.0.1"], log: log)
        try Data("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/server.ext"))
        try Self.run("/usr/bin/env", ["openssl", "x509", "-req", "-in", "\(directory)/server.csr", "-CA", "\(directory)/ca.crt",
                                      "-CAkey", "\(directory)/ca.key", "-CAcreateserial", "-out", "\(directory)/server.crt",
                                      "-days", "2", "-extfile", "\(directory)/server.ext"], log: log)
        chmod(directory + "/server.key", 0o600)
    }

    /// Re-stores the superuser's password as md5 and makes pg_hba.conf ask for md5, then restarts.
    private func switchToMD5() throws {
        let connection = try PostgresConnection.connect(configuration())
        defer { connection.close() }
        let quoted = password.replacingOccurrences(of: "'", with: "''")
        try connection.execute("SET password_encryption = 'md5'")
        try connection.execute("ALTER ROLE \(superuser) PASSWORD '\(quoted)'")
        try connection.execute("ALTER SYSTEM SET password_encryption = 'md5'")
        let hbaPath = dataDirectory + "/pg_hba.conf"
        let hba = try String(contentsOfFile: hbaPath, encoding: .utf8)
        try Data(hba.replacingOccurrences(of: "scram-sha-256", with: "md5").utf8).write(to: URL(fileURLWithPath: hbaPath))
        try restart()
    }

    // MARK: Processes

    private static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { name in Int(name).map { ($0, "\(root)/\(name)/bin") } }
            .filter { FileManager.default.isExecutableFile(atPath: $0.1 + "/initdb") && FileManager.default.isExecutableFile(atPath: $0.1 + "/pg_ctl") }
            .sorted { $0.0 > $1.0 }
        guard let newest = versions.first else {
            throw TestPostgresServerError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: run `make deps` (apt-get install postgresql postgresql-contrib)")
        }
        return newest.1
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestPostgresServerError("socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw TestPostgresServerError("could not find a free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private var isRoot: Bool { geteuid() == 0 }

    private func giveToServerUser(_ path: String) throws {
        guard isRoot else { return }
        guard let nobody = getpwnam("nobody") else { throw TestPostgresServerError("no user \"nobody\" to run PostgreSQL as") }
        let uid = nobody.pointee.pw_uid, gid = nobody.pointee.pw_gid
        chown(path, uid, gid)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            chown(path + "/" + entry, uid, gid)
        }
    }

    private func runAsServerUser(_ executable: String, _ arguments: [String]) throws {
        let log = directory + "/commands.log"
        if isRoot {
            try Self.run("/usr/sbin/runuser", ["-u", "nobody", "--", executable] + arguments, log: log)
        } else {
            try Self.run(executable, arguments, log: log)
        }
    }

    /// Runs a command with its output appended to `log`; throws with the log's tail when it fails.
    private static func run(_ executable: String, _ arguments: [String], log: String) throws {
        if !FileManager.default.fileExists(atPath: log) {
            _ = FileManager.default.createFile(atPath: log, contents: nil, attributes: [.posixPermissions: 0o666])
            if geteuid() == 0, let nobody = getpwnam("nobody") { chown(log, nobody.pointee.pw_uid, nobody.pointee.pw_gid) }
        }
        let status = try ChildProcess.run(executable, arguments, log: log)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n").suffix(15).joined(separator: "\n")
            throw TestPostgresServerError("\(([executable] + arguments).joined(separator: " ")) failed (exit \(status)):\n\(tail)")
        }
    }
}

/// Servers still running at process exit are shut down (tests often keep one in a `static let`).
private final class Registry: @unchecked Sendable {
    static let shared = Registry()
    private let lock = NSLock()
    private var servers: [ObjectIdentifier: TestPostgresServer] = [:]
    private var installed = false

    func add(_ server: TestPostgresServer) {
        lock.lock()
        defer { lock.unlock() }
        servers[ObjectIdentifier(server)] = server
        if !installed {
            installed = true
            atexit { Registry.shared.shutdownAll() }
        }
    }

    func remove(_ server: TestPostgresServer) {
        lock.lock()
        defer { lock.unlock() }
        servers[ObjectIdentifier(server)] = nil
    }

    func shutdownAll() {
        lock.lock()
        let all = Array(servers.values)
        lock.unlock()
        for server in all { server.shutdown() }
    }
}
