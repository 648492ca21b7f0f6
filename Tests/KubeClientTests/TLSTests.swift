import Foundation
import KubeCore
import Testing
@testable import KubeClient

/// Real TLS: a CA, server and client certificates made with openssl at test time, and a TLS terminator
/// (`tls_proxy.py`, requiring client certificates) in front of `fake_apiserver.py`.
@Suite("TLS with client certificates")
struct TLSTests {
    /// Made once for the suite: generating RSA keys is slow.
    static let pki: Result<String, any Error> = Result {
        let dir = try Fixtures.temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [Fixtures.path("make_certs.sh"), dir]
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        done.wait()
        guard process.terminationStatus == 0 else { throw ChildProcessError(message: "make_certs.sh failed with \(process.terminationStatus)") }
        return dir
    }

    let pki: String
    let backend: ChildProcess
    let proxy: ChildProcess

    init() throws {
        pki = try Self.pki.get()
        backend = try .fakeAPIServer()
        proxy = try .tlsProxy(pki: pki, backendPort: backend.port)
    }

    func file(_ name: String) throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: "\(pki)/\(name)")))
    }

    func tls(ca: String? = "ca.crt", clientCertificate: Bool = true, serverName: String? = nil, insecure: Bool = false) throws -> TLSOptions {
        TLSOptions(caPEM: try ca.map { try file($0) },
                   clientCertificatePEM: clientCertificate ? try file("client.crt") : nil,
                   clientKeyPEM: clientCertificate ? try file("client.key") : nil,
                   insecureSkipVerify: insecure, serverName: serverName)
    }

    func request(_ tls: TLSOptions, host: String = "127.0.0.1", logger: ClientLogger = .silent) async throws -> JSONValue {
        let client = KubeClient(configuration: ClientConfiguration(server: "https://\(host):\(proxy.port)", tls: tls), logger: logger)
        return try await client.perform(APIRequest(method: "GET", path: "/echo/tls"))
    }

    func tlsFailure(_ tls: TLSOptions) async throws -> (message: String, hint: String) {
        do {
            let answer = try await request(tls)
            Issue.record("expected a TLS error, got \(answer)")
        } catch KubeClientError.tls(let message, let hint, _) {
            return (message, hint)
        }
        return ("", "")
    }

    @Test func rightCAAndClientCertificateSucceed() async throws {
        let echoed = try await request(try tls())
        #expect(echoed["path"]?.stringValue == "/echo/tls")
    }

    @Test func kubeconfigWithRelativeCertificatePathsConnects() async throws {
        let kubeconfig = "\(pki)/kubeconfig-\(UUID().uuidString).json"
        try Fixtures.write("""
        {"apiVersion":"v1","kind":"Config","current-context":"t",
         "clusters":[{"name":"c","cluster":{"server":"https://127.0.0.1:\(proxy.port)","certificate-authority":"ca.crt"}}],
         "contexts":[{"name":"t","context":{"cluster":"c","user":"u"}}],
         "users":[{"name":"u","user":{"client-certificate":"client.crt","client-key":"client.key"}}]}
        """, to: kubeconfig)
        let client = KubeClient(configuration: try .load(kubeconfig: kubeconfig, environment: [:]), logger: .silent)
        let echoed = try await client.perform(APIRequest(method: "GET", path: "/echo/kubeconfig"))
        #expect(echoed["path"]?.stringValue == "/echo/kubeconfig")
    }

    @Test func wrongCAFailsWithAHintAboutTheCA() async throws {
        let failure = try await tlsFailure(try tls(ca: "other-ca.crt"))
        #expect(failure.hint.contains("wrong CA"))
        #expect(!failure.message.isEmpty)
    }

    @Test func missingClientCertificateFailsWithAHintAboutIt() async throws {
        let failure = try await tlsFailure(try tls(clientCertificate: false))
        #expect(failure.hint.contains("client certificate"))
        #expect(!failure.message.isEmpty)  // libcurl's words vary with timing: an alert, or a reset connection
    }

    @Test func wrongTLSServerNameFailsWithAHintAboutIt() async throws {
        let failure = try await tlsFailure(try tls(serverName: "wrong.test"))
        #expect(failure.hint.contains("tls-server-name"))
    }

    @Test func tlsServerNameVerifiesAgainstThatNameWhileConnectingToTheURLHost() async throws {
        // The certificate is valid for kubernetes.test; the URL says 127.0.0.1; tls-server-name bridges them.
        let echoed = try await request(try tls(serverName: "kubernetes.test"))
        #expect(echoed["headers", "host"]?.stringValue?.hasPrefix("kubernetes.test") == true)
    }

    @Test func insecureSkipVerifyConnectsAndWarns() async throws {
        let lines = LogLines()
        let logger = ClientLogger(minimumLevel: .warning) { level, message in lines.append("\(level): \(message)") }
        let echoed = try await request(try tls(ca: nil, insecure: true), logger: logger)
        #expect(echoed["path"]?.stringValue == "/echo/tls")
        #expect(lines.all.contains { $0.hasPrefix("warning: insecure-skip-tls-verify") })
    }
}
