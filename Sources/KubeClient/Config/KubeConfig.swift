import Foundation
import KubeCore

/// A kubeconfig: named clusters, users and contexts, and the current context. Several files merge like
/// kubectl merges `$KUBECONFIG`: for every name (and for `current-context`) the first file that sets it wins.
/// Relative paths are resolved against the directory of the file that holds them, when the file is read.
///
/// ```swift
/// let config = try KubeConfig.load(files: ["/a/config", "/b/config"]).configuration(context: "kind-dev")
/// ```
public struct KubeConfig: Sendable, Equatable {
    /// `clusters[].cluster`, by name.
    public var clusters: [String: Cluster] = [:]
    /// `users[].user`, by name.
    public var users: [String: User] = [:]
    /// `contexts[].context`, by name.
    public var contexts: [String: Context] = [:]
    /// `current-context`.
    public var currentContext: String?
    /// The files read, in precedence order.
    public var files: [String] = []

    /// One `clusters[]` entry.
    public struct Cluster: Sendable, Equatable {
        public var server: String?
        /// `certificate-authority`, resolved to an absolute path.
        public var certificateAuthority: String?
        /// `certificate-authority-data`, decoded.
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify = false
        public var tlsServerName: String?
        /// The file this entry came from.
        public var file: String
    }

    /// One `users[]` entry.
    public struct User: Sendable, Equatable {
        public var token: String?
        /// `tokenFile`, resolved to an absolute path.
        public var tokenFile: String?
        /// `client-certificate`, resolved to an absolute path.
        public var clientCertificate: String?
        /// `client-certificate-data`, decoded.
        public var clientCertificateData: [UInt8]?
        /// `client-key`, resolved to an absolute path.
        public var clientKey: String?
        /// `client-key-data`, decoded.
        public var clientKeyData: [UInt8]?
        public var username: String?
        public var password: String?
        public var exec: ExecPluginConfig?
        /// The file this entry came from.
        public var file: String
    }

    /// One `contexts[]` entry.
    public struct Context: Sendable, Equatable {
        public var cluster: String
        public var user: String?
        public var namespace: String?
        /// The file this entry came from.
        public var file: String
    }

    public init() {}

    /// Reads and merges `files` in order (the first file that sets a name wins).
    public static func load(files: [String]) throws -> KubeConfig {
        var merged = KubeConfig()
        for file in files {
            merged.merge(try load(file: file))
        }
        return merged
    }

    /// Reads one kubeconfig file (YAML or JSON).
    public static func load(file: String) throws -> KubeConfig {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw KubeConfigError(file: file, field: "(file)", problem: "cannot read the kubeconfig: \(error.localizedDescription)",
                                  fix: "check the path and its permissions")
        }
        return try KubeConfig(parsing: try KubeConfigDocument.parse(text, file: file), file: file)
    }

    /// Merges `other` under `self`: names and `current-context` already set here win.
    public mutating func merge(_ other: KubeConfig) {
        clusters.merge(other.clusters) { mine, _ in mine }
        users.merge(other.users) { mine, _ in mine }
        contexts.merge(other.contexts) { mine, _ in mine }
        if currentContext == nil || currentContext == "" { currentContext = other.currentContext }
        files += other.files
    }

    /// Decodes a parsed kubeconfig document; `file` is used for errors and to resolve relative paths.
    public init(parsing document: JSONValue, file: String) throws {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let root = FieldReader(value: document, file: file, field: "", directory: directory)
        guard document.objectValue != nil else {
            throw root.error("the document is a \(document.typeName), not a kubeconfig object", fix: "write a kubeconfig (apiVersion: v1, kind: Config)")
        }
        files = [file]
        if let kind = try root.string("kind"), kind != "Config" {
            throw root.error("kind is \"\(kind)\", not \"Config\"", fix: "point at a kubeconfig file", field: "kind")
        }
        currentContext = try root.string("current-context")

        for (name, entry) in try root.namedList("clusters", inner: "cluster") where clusters[name] == nil {
            try entry.rejectUnsupported(["proxy-url": "proxies are not supported; remove proxy-url or reach the server directly"])
            var cluster = Cluster(file: file)
            cluster.server = try entry.string("server")
            cluster.certificateAuthority = try entry.path("certificate-authority")
            cluster.certificateAuthorityData = try entry.base64("certificate-authority-data")
            cluster.insecureSkipTLSVerify = try entry.bool("insecure-skip-tls-verify") ?? false
            cluster.tlsServerName = try entry.string("tls-server-name")
            if cluster.certificateAuthority != nil && cluster.certificateAuthorityData != nil {
                throw entry.error("both certificate-authority and certificate-authority-data are set", fix: "keep only one of them")
            }
            if cluster.insecureSkipTLSVerify && (cluster.certificateAuthority != nil || cluster.certificateAuthorityData != nil) {
                throw entry.error("insecure-skip-tls-verify is true and a certificate authority is given", fix: "remove insecure-skip-tls-verify (preferred) or the certificate authority")
            }
            clusters[name] = cluster
        }

        for (name, entry) in try root.namedList("users", inner: "user") where users[name] == nil {
            try entry.rejectUnsupported(["auth-provider": "auth-provider plugins were removed from Kubernetes; use an exec plugin (gke-gcloud-auth-plugin, kubelogin) instead"])
            var user = User(file: file)
            user.token = try entry.string("token")
            user.tokenFile = try entry.path("tokenFile")
            user.clientCertificate = try entry.path("client-certificate")
            user.clientCertificateData = try entry.base64("client-certificate-data")
            user.clientKey = try entry.path("client-key")
            user.clientKeyData = try entry.base64("client-key-data")
            user.username = try entry.string("username")
            user.password = try entry.string("password")
            if let exec = try entry.object("exec") {
                user.exec = try Self.execConfig(exec)
            }
            if user.clientCertificate != nil && user.clientCertificateData != nil {
                throw entry.error("both client-certificate and client-certificate-data are set", fix: "keep only one of them")
            }
            if user.clientKey != nil && user.clientKeyData != nil {
                throw entry.error("both client-key and client-key-data are set", fix: "keep only one of them")
            }
            if (user.token != nil || user.tokenFile != nil) && user.username != nil {
                throw entry.error("both a token and username/password are set", fix: "keep one authentication method")
            }
            if user.username != nil && user.password == nil {
                throw entry.error("username is set without password", fix: "add password (basic authentication needs both)")
            }
            users[name] = user
        }

        for (name, entry) in try root.namedList("contexts", inner: "context") where contexts[name] == nil {
            guard let cluster = try entry.string("cluster"), !cluster.isEmpty else {
                throw entry.error("the context names no cluster", fix: "set cluster to one of the names under clusters", field: "\(entry.field).cluster")
            }
            contexts[name] = Context(cluster: cluster, user: try entry.string("user"), namespace: try entry.string("namespace"), file: file)
        }
    }

    private static func execConfig(_ exec: FieldReader) throws -> ExecPluginConfig {
        guard let apiVersion = try exec.string("apiVersion"), !apiVersion.isEmpty else {
            throw exec.error("apiVersion is missing", fix: "set apiVersion: client.authentication.k8s.io/v1 (or v1beta1)", field: "\(exec.field).apiVersion")
        }
        guard ExecPluginConfig.supportedAPIVersions.contains(apiVersion) else {
            throw exec.error("apiVersion \"\(apiVersion)\" is not supported", fix: "use one of \(ExecPluginConfig.supportedAPIVersions.joined(separator: ", "))", field: "\(exec.field).apiVersion")
        }
        guard let command = try exec.string("command"), !command.isEmpty else {
            throw exec.error("command is missing", fix: "set command to the credential plugin's executable", field: "\(exec.field).command")
        }
        let mode = try exec.string("interactiveMode") ?? "IfAvailable"
        guard ["Never", "IfAvailable", "Always"].contains(mode) else {
            throw exec.error("interactiveMode \"\(mode)\" is not one of Never, IfAvailable, Always", fix: "set interactiveMode: Never", field: "\(exec.field).interactiveMode")
        }
        var env: [ExecPluginConfig.EnvVar] = []
        for item in try exec.list("env") {
            guard let name = try item.string("name"), let value = try item.string("value") else {
                throw item.error("each env entry needs name and value", fix: "write env entries as {name: X, value: Y}")
            }
            env.append(.init(name: name, value: value))
        }
        let args = try exec.list("args").map { item -> String in
            guard let s = item.value.stringValue else { throw item.error("an argument is a \(item.value.typeName), not a string", fix: "quote the argument") }
            return s
        }
        return ExecPluginConfig(apiVersion: apiVersion, command: command, args: args, env: env, interactiveMode: mode,
                                installHint: try exec.string("installHint"), provideClusterInfo: try exec.bool("provideClusterInfo") ?? false,
                                sourceFile: exec.file, field: exec.field)
    }
}

/// Typed access to one object of a kubeconfig, with errors that name the file and the field.
struct FieldReader {
    let value: JSONValue
    let file: String
    let field: String
    let directory: String

    func error(_ problem: String, fix: String, field: String? = nil) -> KubeConfigError {
        KubeConfigError(file: file, field: field ?? (self.field.isEmpty ? "(top level)" : self.field), problem: problem, fix: fix)
    }

    private func child(_ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }

    private func raw(_ key: String) -> JSONValue? {
        guard let v = value[key], !v.isNull else { return nil }
        return v
    }

    func string(_ key: String) throws -> String? {
        guard let v = raw(key) else { return nil }
        guard let s = v.stringValue else {
            throw error("expected a string, found a \(v.typeName)", fix: "quote the value", field: child(key))
        }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = raw(key) else { return nil }
        if let b = v.boolValue { return b }
        if let s = v.stringValue, s == "true" || s == "false" { return s == "true" }
        throw error("expected true or false, found a \(v.typeName)", fix: "write true or false", field: child(key))
    }

    /// A file path, resolved against the kubeconfig's directory when relative.
    func path(_ key: String) throws -> String? {
        guard let p = try string(key), !p.isEmpty else { return nil }
        return p.hasPrefix("/") ? p : URL(fileURLWithPath: directory).appendingPathComponent(p).standardizedFileURL.path
    }

    func base64(_ key: String) throws -> [UInt8]? {
        guard let s = try string(key), !s.isEmpty else { return nil }
        let compact = s.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw error("the value is not valid base64", fix: "base64-encode the PEM file (base64 -w0 file.pem)", field: child(key))
        }
        return [UInt8](data)
    }

    func object(_ key: String) throws -> FieldReader? {
        guard let v = raw(key) else { return nil }
        guard v.objectValue != nil else {
            throw error("expected a mapping, found a \(v.typeName)", fix: "write \(key) as a mapping of fields", field: child(key))
        }
        return FieldReader(value: v, file: file, field: child(key), directory: directory)
    }

    func list(_ key: String) throws -> [FieldReader] {
        guard let v = raw(key) else { return [] }
        guard let items = v.arrayValue else {
            throw error("expected a list, found a \(v.typeName)", fix: "write \(key) as a list", field: child(key))
        }
        return items.enumerated().map { FieldReader(value: $1, file: file, field: "\(child(key))[\($0)]", directory: directory) }
    }

    /// `clusters: [{name: x, cluster: {...}}]` as (name, reader of the inner object), in file order.
    func namedList(_ key: String, inner: String) throws -> [(String, FieldReader)] {
        try list(key).map { item in
            guard let name = try item.string("name"), !name.isEmpty else {
                throw item.error("the entry has no name", fix: "give every \(key) entry a name", field: "\(item.field).name")
            }
            let named = FieldReader(value: item.value, file: file, field: "\(key)[\(name)]", directory: directory)
            guard let body = try named.object(inner) else {
                throw named.error("the entry has no \(inner) section", fix: "add \(inner): {...} to the entry", field: "\(key)[\(name)].\(inner)")
            }
            return (name, body)
        }
    }

    func rejectUnsupported(_ keys: [String: String]) throws {
        for (key, fix) in keys.sorted(by: { $0.key < $1.key }) where raw(key) != nil {
            throw error("\(key) is not supported", fix: fix, field: child(key))
        }
    }
}
