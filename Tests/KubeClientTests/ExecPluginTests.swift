import Foundation
import KubeCore
import Testing
@testable import KubeClient

/// Exec credential plugins (`exec_plugin.sh`) against `fake_apiserver.py` checking bearer tokens.
@Suite("exec credential plugins")
struct ExecPluginTests {
    let dir: String
    let server: ChildProcess

    init() throws {
        dir = try Fixtures.temporaryDirectory()
        try Fixtures.write("tok-1\n", to: "\(dir)/accepted-tokens")
        try Fixtures.write("tok-1", to: "\(dir)/token")
        server = try .fakeAPIServer(tokenFile: "\(dir)/accepted-tokens")
    }

    var runs: Int {
        (try? String(contentsOfFile: "\(dir)/runs", encoding: .utf8))?.split(separator: "\n").count ?? 0
    }

    func kubeconfig(apiVersion: String, command: String = Fixtures.path("exec_plugin.sh"), provideClusterInfo: Bool = false) throws -> String {
        let path = "\(dir)/kubeconfig.json"
        try Fixtures.write("""
        {"apiVersion":"v1","kind":"Config","current-context":"t",
         "clusters":[{"name":"c","cluster":{"server":"http://127.0.0.1:\(server.port)"}}],
         "contexts":[{"name":"t","context":{"cluster":"c","user":"u"}}],
         "users":[{"name":"u","user":{"exec":{"apiVersion":"\(apiVersion)","command":"\(command)","args":["\(apiVersion)"],
           "env":[{"name":"PLUGIN_DIR","value":"\(dir)"}],"interactiveMode":"Never","installHint":"install the test plugin",
           "provideClusterInfo":\(provideClusterInfo)}}}]}
        """, to: path)
        return path
    }

    func stats() async throws -> JSONValue {
        try JSONValue(jsonBytes: try await CurlTransport().send(TransportRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/debug/stats")).body)
    }

    @Test(arguments: ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"])
    func tokenIsCachedAndThePluginRerunAfterA401(apiVersion: String) async throws {
        let client = KubeClient(configuration: try .load(kubeconfig: try kubeconfig(apiVersion: apiVersion), environment: [:]), logger: .silent)
        for _ in 0..<3 { _ = try await client.perform(APIRequest(method: "GET", path: "/echo/a")) }
        #expect(runs == 1)
        #expect(try await stats()["requests", "tok-1"]?.intValue == 3)

        // The server rotates to a new token; the plugin hands out the new one.
        try Fixtures.write("tok-2\n", to: "\(dir)/accepted-tokens")
        try Fixtures.write("tok-2", to: "\(dir)/token")
        let echoed = try await client.perform(APIRequest(method: "GET", path: "/echo/b"))
        #expect(echoed["headers", "authorization"]?.stringValue == "Bearer tok-2")
        #expect(runs == 2)
        let after = try await stats()
        #expect(after["rejected"]?.intValue == 1)
        #expect(after["requests", "tok-2"]?.intValue == 1)
    }

    @Test func aWatchRejectedWith401RerunsThePluginAndConnects() async throws {
        let client = KubeClient(configuration: try .load(kubeconfig: try kubeconfig(apiVersion: "client.authentication.k8s.io/v1"), environment: [:]), logger: .silent)
        _ = try await client.perform(APIRequest(method: "GET", path: "/echo/a"))
        try Fixtures.write("tok-2\n", to: "\(dir)/accepted-tokens")
        try Fixtures.write("tok-2", to: "\(dir)/token")
        var events = 0
        do {
            for try await _ in client.watch(.configMaps, namespace: "split") { events += 1 }
        } catch KubeClientError.expired {
            // the fixture's stream ends with a 410 ERROR event
        }
        #expect(events == 4)
        #expect(runs == 2)
    }

    @Test func aRotatedTokenFileIsReadAgainAfterA401() async throws {
        let tokenFile = "\(dir)/sa-token"
        try Fixtures.write("tok-1\n", to: tokenFile)
        let client = KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:\(server.port)", authentication: .tokenFile(path: tokenFile)),
                                logger: .silent)
        _ = try await client.perform(APIRequest(method: "GET", path: "/echo/a"))
        try Fixtures.write("tok-2\n", to: "\(dir)/accepted-tokens")
        try Fixtures.write("tok-2\n", to: tokenFile)
        let echoed = try await client.perform(APIRequest(method: "GET", path: "/echo/b"))
        #expect(echoed["headers", "authorization"]?.stringValue == "Bearer tok-2")
        #expect(try await stats()["rejected"]?.intValue == 1)
    }

    @Test func clusterInfoIsPassedWhenAskedFor() async throws {
        let client = KubeClient(configuration: try .load(kubeconfig: try kubeconfig(apiVersion: "client.authentication.k8s.io/v1", provideClusterInfo: true), environment: [:]),
                                logger: .silent)
        _ = try await client.perform(APIRequest(method: "GET", path: "/echo/a"))
        let info = try JSONValue(json: try String(contentsOfFile: "\(dir)/exec-info", encoding: .utf8))
        #expect(info["kind"] == "ExecCredential")
        #expect(info["spec", "interactive"] == false)
        #expect(info["spec", "cluster", "server"]?.stringValue == "http://127.0.0.1:\(server.port)")
    }

    @Test func aPersistently401ServerIsReportedAfterOneRetry() async throws {
        try Fixtures.write("tok-other", to: "\(dir)/token")
        let client = KubeClient(configuration: try .load(kubeconfig: try kubeconfig(apiVersion: "client.authentication.k8s.io/v1"), environment: [:]), logger: .silent)
        let error = await #expect(throws: KubeClientError.self) { _ = try await client.perform(APIRequest(method: "GET", path: "/echo/a")) }
        #expect(error?.isUnauthorized == true)
        #expect(runs == 2)
    }

    @Test func tokenIsCachedUntilItsExpirationTimestamp() async throws {
        let exec = ExecPluginConfig(apiVersion: "client.authentication.k8s.io/v1", command: Fixtures.path("exec_plugin.sh"),
                                    args: ["client.authentication.k8s.io/v1"],
                                    env: [.init(name: "PLUGIN_DIR", value: dir), .init(name: "PLUGIN_EXPIRY", value: "2027-01-15T09:00:00Z")])
        let clock = TestClock()  // 2027-01-15T08:00:00Z
        let provider = CredentialProvider(authentication: .exec(exec), environment: [:], now: { clock.now })
        #expect(try await provider.authorization() == "Bearer tok-1")
        clock.advance(3500)
        #expect(try await provider.authorization() == "Bearer tok-1")
        #expect(runs == 1)
        try Fixtures.write("tok-2", to: "\(dir)/token")
        clock.advance(200)
        #expect(try await provider.authorization() == "Bearer tok-2")
        #expect(runs == 2)
    }

    @Test func aFailingPluginReportsItsStandardError() async throws {
        let script = "\(dir)/failing.sh"
        try Fixtures.write("#!/bin/sh\necho 'could not get a token: expired SSO session' >&2\nexit 3\n", to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let client = KubeClient(configuration: try .load(kubeconfig: try kubeconfig(apiVersion: "client.authentication.k8s.io/v1", command: "./failing.sh"), environment: [:]), logger: .silent)
        let error = await #expect(throws: KubeClientError.self) { _ = try await client.perform(APIRequest(method: "GET", path: "/echo/a")) }
        guard case .authentication(let message)? = error else { Issue.record("expected .authentication, got \(String(describing: error))"); return }
        #expect(message.contains("expired SSO session"))
        #expect(message.contains("status 3"))
    }

    @Test func aMissingPluginNamesTheFieldAndTheInstallHint() async throws {
        let client = KubeClient(configuration: try .load(kubeconfig: try kubeconfig(apiVersion: "client.authentication.k8s.io/v1", command: "no-such-plugin-xyz"), environment: [:]),
                                logger: .silent, environment: ["PATH": "/usr/bin:/bin"])
        let error = await #expect(throws: KubeClientError.self) { _ = try await client.perform(APIRequest(method: "GET", path: "/echo/a")) }
        guard case .authentication(let message)? = error else { Issue.record("expected .authentication, got \(String(describing: error))"); return }
        #expect(message.contains("users[u].user.exec.command"))
        #expect(message.contains("install the test plugin"))
    }
}
