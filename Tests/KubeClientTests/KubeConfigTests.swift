import Foundation
import Testing
@testable import KubeClient

@Suite("kubeconfig parsing and merging")
struct KubeConfigTests {
    let dir = Fixtures.path("kubeconfigs")

    @Test func kindKubeconfigWithClientCertificateData() throws {
        let config = try KubeConfig.load(files: ["\(dir)/kind.json"]).configuration()
        #expect(config.server == "https://127.0.0.1:41235")
        #expect(config.namespace == "default")
        #expect(String(decoding: try #require(config.tls.caPEM), as: UTF8.self).contains("KIND-CA"))
        #expect(String(decoding: try #require(config.tls.clientCertificatePEM), as: UTF8.self).contains("KIND-CLIENT"))
        #expect(String(decoding: try #require(config.tls.clientKeyPEM), as: UTF8.self).contains("KIND-KEY"))
        #expect(config.authentication == .none)
        #expect(config.source.contains("context kind-dev"))
    }

    @Test func eksExecPluginAndRelativeCAFile() throws {
        let config = try KubeConfig.load(files: ["\(dir)/eks.json"]).configuration()
        #expect(config.server == "https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com")
        #expect(config.namespace == "incidents")
        #expect(String(decoding: try #require(config.tls.caPEM), as: UTF8.self).contains("FILE-CA"))
        guard case .exec(let exec) = config.authentication else {
            Issue.record("expected exec authentication, got \(config.authentication)")
            return
        }
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1beta1")
        #expect(exec.command == "aws")
        #expect(exec.args == ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "prod", "--output", "json"])
        #expect(exec.env == [.init(name: "AWS_PROFILE", value: "ops")])
        #expect(exec.interactiveMode == "IfAvailable")
        #expect(exec.installHint?.contains("AWS CLI") == true)
        #expect(exec.sourceFile == "\(dir)/eks.json")
    }

    @Test func gkeYAMLKubeconfig() throws {
        let config = try KubeConfig.load(files: ["\(dir)/gke.yaml"]).configuration()
        #expect(config.server == "https://34.76.10.20")
        #expect(config.namespace == "incident-platform")
        #expect(String(decoding: try #require(config.tls.caPEM), as: UTF8.self).contains("GKE-CA"))
        guard case .exec(let exec) = config.authentication else {
            Issue.record("expected exec authentication, got \(config.authentication)")
            return
        }
        #expect(exec.command == "gke-gcloud-auth-plugin")
        #expect(exec.installHint?.contains("cluster-access-for-kubectl") == true)
    }

    @Test func yamlSyntaxErrorsNameTheLine() throws {
        let file = try Fixtures.temporaryDirectory() + "/broken.yaml"
        try Fixtures.write("apiVersion: v1\nclusters:\n- name: [unclosed\n", to: file)
        let error = #expect(throws: KubeConfigError.self) { try KubeConfig.load(file: file) }
        #expect(error?.file == file)
        #expect(error?.field.contains("line") == true)
    }

    @Test func tokenFileAndTLSServerNameResolvedAgainstTheKubeconfigDirectory() throws {
        let config = try KubeConfig.load(files: ["\(dir)/tokenfile.json"]).configuration()
        #expect(config.authentication == .tokenFile(path: "\(dir)/token"))
        #expect(config.tls.serverName == "kubernetes.default.svc")
        #expect(config.namespace == "ops")
        #expect(config.host == "k8s.example.internal:6443")
    }

    @Test func severalFilesMergeFirstSetterWins() throws {
        let merged = try KubeConfig.load(files: ["\(dir)/merge-first.json", "\(dir)/merge-second.json"])
        #expect(merged.currentContext == "first")
        #expect(merged.clusters["shared"]?.server == "https://first.example:6443")
        #expect(merged.contexts["first"]?.cluster == "shared")
        #expect(merged.clusters["other"]?.server == "https://other.example:6443")
        let first = try merged.configuration()
        #expect(first.authentication == .bearerToken("alice-token"))
        #expect(first.tls.insecureSkipVerify)
        let second = try merged.configuration(context: "second")
        #expect(second.server == "https://other.example:6443")
        #expect(second.namespace == "team-b")
        #expect(second.authentication == .basic(username: "bob", password: "s3cret"))

        let reversed = try KubeConfig.load(files: ["\(dir)/merge-second.json", "\(dir)/merge-first.json"]).configuration()
        #expect(reversed.server == "https://other.example:6443")
    }

    @Test func kubeconfigEnvironmentVariableIsColonSeparated() throws {
        let env = ["KUBECONFIG": "/nonexistent/config:\(dir)/merge-second.json:\(dir)/merge-first.json", "KUBERNETES_SERVICE_HOST": "10.0.0.1"]
        let config = try ClientConfiguration.load(environment: env)
        #expect(config.server == "https://other.example:6443")
        #expect(config.namespace == "team-b")
    }

    @Test func explicitPathWinsOverEnvironmentAndContextFlagSelects() throws {
        let env = ["KUBECONFIG": "\(dir)/kind.json"]
        let config = try ClientConfiguration.load(kubeconfig: "\(dir)/merge-second.json", context: "first", environment: env)
        #expect(config.server == "https://other.example:6443")
        #expect(config.source.contains("context first"))
    }

    @Test func homeConfigIsTheLastResort() throws {
        let home = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(home)/.kube", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(dir)/kind.json", toPath: "\(home)/.kube/config")
        let config = try ClientConfiguration.load(environment: [:], homeDirectory: home)
        #expect(config.server == "https://127.0.0.1:41235")
        let error = #expect(throws: KubeConfigError.self) {
            try ClientConfiguration.load(environment: [:], homeDirectory: "/nonexistent-home")
        }
        #expect(error?.fix.contains("--kubeconfig") == true)
    }

    @Test func errorsNameFileFieldAndFix() throws {
        let tmp = try Fixtures.temporaryDirectory()
        func failure(_ json: String, context: String? = nil) throws -> KubeConfigError? {
            let file = "\(tmp)/config-\(UUID().uuidString).json"
            try Fixtures.write(json, to: file)
            return #expect(throws: KubeConfigError.self) { try KubeConfig.load(files: [file]).configuration(context: context) }
        }
        let base = #"{"clusters":[{"name":"c","cluster":{"server":"https://x"}}],"contexts":[{"name":"x","context":{"cluster":"c","user":"u"}}],"current-context":"x","#

        let badBase64 = try failure(base + #""users":[{"name":"u","user":{"client-certificate-data":"!!notbase64","client-key-data":"QQ=="}}]}"#)
        #expect(badBase64?.field == "users[u].user.client-certificate-data")
        #expect(badBase64?.file.hasPrefix(tmp) == true)
        #expect(badBase64?.fix.contains("base64") == true)

        let missingUser = try failure(base + #""users":[]}"#)
        #expect(missingUser?.field == "contexts[x].context.user")

        let missingCertFile = try failure(base + #""users":[{"name":"u","user":{"client-certificate":"nope.crt","client-key":"nope.key"}}]}"#)
        #expect(missingCertFile?.field == "users[u].user.client-certificate")
        #expect(missingCertFile?.problem.contains("\(tmp)/nope.crt") == true)

        let noContext = try failure(base + #""users":[{"name":"u","user":{}}]}"#, context: "other")
        #expect(noContext?.field == "--context")
        #expect(noContext?.fix.contains("x") == true)

        let wrongType = try failure(#"{"clusters":[{"name":"c","cluster":{"server":42}}]}"#)
        #expect(wrongType?.field == "clusters[c].cluster.server")

        let execVersion = try failure(base + #""users":[{"name":"u","user":{"exec":{"apiVersion":"client.authentication.k8s.io/v1alpha1","command":"x"}}}]}"#)
        #expect(execVersion?.field == "users[u].user.exec.apiVersion")

        let authProvider = try failure(base + #""users":[{"name":"u","user":{"auth-provider":{"name":"gcp"}}}]}"#)
        #expect(authProvider?.fix.contains("exec plugin") == true)

        let caAndInsecure = try failure(#"{"clusters":[{"name":"c","cluster":{"server":"https://x","insecure-skip-tls-verify":true,"certificate-authority-data":"QQ=="}}]}"#)
        #expect(caAndInsecure?.field == "clusters[c].cluster")

        let noServer = try failure(#"{"clusters":[{"name":"c","cluster":{}}],"contexts":[{"name":"x","context":{"cluster":"c"}}],"current-context":"x"}"#)
        #expect(noServer?.field == "clusters[c].cluster.server")
    }

    @Test func missingKubeconfigFilesInTheEnvironmentAreNamed() throws {
        let error = #expect(throws: KubeConfigError.self) {
            try ClientConfiguration.load(environment: ["KUBECONFIG": "/nope/a:/nope/b"])
        }
        #expect(error?.field == "KUBECONFIG")
        #expect(error?.problem.contains("/nope/a:/nope/b") == true)
    }
}

@Suite("in-cluster configuration")
struct InClusterTests {
    func serviceAccountDirectory(namespace: String? = "incidents") throws -> String {
        let dir = try Fixtures.temporaryDirectory()
        try Fixtures.write("sa-token-1\n", to: "\(dir)/token")
        try Fixtures.write("-----BEGIN CERTIFICATE-----\nCLUSTER-CA\n-----END CERTIFICATE-----\n", to: "\(dir)/ca.crt")
        if let namespace { try Fixtures.write(namespace, to: "\(dir)/namespace") }
        return dir
    }

    @Test func loadsFromTheServiceAccountDirectory() throws {
        let dir = try serviceAccountDirectory()
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let config = try ClientConfiguration.load(environment: env, serviceAccountDirectory: dir, homeDirectory: "/nonexistent")
        #expect(config.server == "https://10.96.0.1:443")
        #expect(config.namespace == "incidents")
        #expect(config.authentication == .tokenFile(path: "\(dir)/token"))
        #expect(String(decoding: try #require(config.tls.caPEM), as: UTF8.self).contains("CLUSTER-CA"))
    }

    @Test func ipv6HostIsBracketedAndNamespaceDefaults() throws {
        let dir = try serviceAccountDirectory(namespace: nil)
        let config = try ClientConfiguration.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"], directory: dir)
        #expect(config.server == "https://[fd00::1]:6443")
        #expect(config.namespace == "default")
        #expect(config.host == "[fd00::1]:6443")
    }

    @Test func missingTokenIsAClearError() throws {
        let dir = try serviceAccountDirectory()
        try FileManager.default.removeItem(atPath: "\(dir)/token")
        let error = #expect(throws: KubeConfigError.self) {
            try ClientConfiguration.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"], directory: dir)
        }
        #expect(error?.file == "\(dir)/token")
        #expect(error?.fix.contains("automountServiceAccountToken") == true)
    }

    @Test func contextFlagInClusterIsAnError() throws {
        let dir = try serviceAccountDirectory()
        let error = #expect(throws: KubeConfigError.self) {
            try ClientConfiguration.load(context: "prod", environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"], serviceAccountDirectory: dir)
        }
        #expect(error?.field == "--context")
    }

    @Test func rotatedTokenIsReadAgainAfterInvalidation() async throws {
        let dir = try serviceAccountDirectory()
        let provider = CredentialProvider(authentication: .tokenFile(path: "\(dir)/token"))
        #expect(try await provider.authorization() == "Bearer sa-token-1")
        try Fixtures.write("sa-token-2\n", to: "\(dir)/token")
        #expect(try await provider.authorization() == "Bearer sa-token-1")  // cached for up to a minute
        await provider.invalidate()
        #expect(try await provider.authorization() == "Bearer sa-token-2")
    }

    @Test func tokenFileIsReadAgainAfterItsMaximumAge() async throws {
        let dir = try serviceAccountDirectory()
        let clock = TestClock()
        let provider = CredentialProvider(authentication: .tokenFile(path: "\(dir)/token"), now: { clock.now })
        #expect(try await provider.authorization() == "Bearer sa-token-1")
        try Fixtures.write("sa-token-2\n", to: "\(dir)/token")
        clock.advance(59)
        #expect(try await provider.authorization() == "Bearer sa-token-1")
        clock.advance(2)
        #expect(try await provider.authorization() == "Bearer sa-token-2")
    }
}

/// A settable clock for expiry tests.
final class TestClock: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: Double) { lock.withLock { current += seconds } }
}
