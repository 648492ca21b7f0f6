import Foundation
import KubeCore

extension KubeConfig {
    /// The configuration for `context` (or `current-context`): reads certificate and key files, checks that
    /// everything the context refers to exists.
    public func configuration(context requested: String? = nil) throws -> ClientConfiguration {
        let filesText = files.joined(separator: ":")
        guard let contextName = requested ?? (currentContext.flatMap { $0.isEmpty ? nil : $0 }) else {
            throw KubeConfigError(file: filesText, field: "current-context", problem: "no context is selected",
                                  fix: "pass --context (one of: \(contexts.keys.sorted().joined(separator: ", "))) or run kubectl config use-context NAME")
        }
        guard let context = contexts[contextName] else {
            throw KubeConfigError(file: filesText, field: requested == nil ? "current-context" : "--context",
                                  problem: "context \"\(contextName)\" is not defined",
                                  fix: "use one of: \(contexts.keys.sorted().joined(separator: ", "))")
        }
        guard let cluster = clusters[context.cluster] else {
            throw KubeConfigError(file: context.file, field: "contexts[\(contextName)].context.cluster",
                                  problem: "cluster \"\(context.cluster)\" is not defined",
                                  fix: "add it under clusters or use one of: \(clusters.keys.sorted().joined(separator: ", "))")
        }
        let clusterField = "clusters[\(context.cluster)].cluster"
        guard let server = cluster.server, !server.isEmpty else {
            throw KubeConfigError(file: cluster.file, field: "\(clusterField).server", problem: "server is missing",
                                  fix: "set server to the API server URL, e.g. https://127.0.0.1:6443")
        }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw KubeConfigError(file: cluster.file, field: "\(clusterField).server", problem: "server \"\(server)\" is not an http(s) URL",
                                  fix: "write the URL with its scheme, e.g. https://\(server)")
        }
        var tls = TLSOptions(insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName)
        tls.caPEM = try cluster.certificateAuthorityData
            ?? cluster.certificateAuthority.map { try Self.readFile($0, file: cluster.file, field: "\(clusterField).certificate-authority") }

        var authentication = Authentication.none
        if let userName = context.user, !userName.isEmpty {
            guard let user = users[userName] else {
                throw KubeConfigError(file: context.file, field: "contexts[\(contextName)].context.user",
                                      problem: "user \"\(userName)\" is not defined",
                                      fix: "add it under users or use one of: \(users.keys.sorted().joined(separator: ", "))")
            }
            let userField = "users[\(userName)].user"
            tls.clientCertificatePEM = try user.clientCertificateData
                ?? user.clientCertificate.map { try Self.readFile($0, file: user.file, field: "\(userField).client-certificate") }
            tls.clientKeyPEM = try user.clientKeyData
                ?? user.clientKey.map { try Self.readFile($0, file: user.file, field: "\(userField).client-key") }
            if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) {
                throw KubeConfigError(file: user.file, field: tls.clientKeyPEM == nil ? "\(userField).client-key" : "\(userField).client-certificate",
                                      problem: "a client certificate needs both a certificate and a key",
                                      fix: "set both client-certificate(-data) and client-key(-data)")
            }
            if let token = user.token, !token.isEmpty {
                authentication = .bearerToken(token)
            } else if let tokenFile = user.tokenFile {
                _ = try Self.readFile(tokenFile, file: user.file, field: "\(userField).tokenFile")
                authentication = .tokenFile(path: tokenFile)
            } else if var exec = user.exec {
                if exec.provideClusterInfo {
                    var info: JSONValue = ["server": .string(server), "insecure-skip-tls-verify": .bool(cluster.insecureSkipTLSVerify)]
                    if let ca = tls.caPEM { info["certificate-authority-data"] = .string(Data(ca).base64EncodedString()) }
                    if let name = cluster.tlsServerName { info["tls-server-name"] = .string(name) }
                    exec.cluster = info
                }
                authentication = .exec(exec)
            } else if let username = user.username, let password = user.password {
                authentication = .basic(username: username, password: password)
            }
        }
        let source = "kubeconfig \(filesText), context \(contextName)"
        return ClientConfiguration(server: server, namespace: context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
                                   tls: tls, authentication: authentication, source: source)
    }

    static func readFile(_ path: String, file: String, field: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeConfigError(file: file, field: field, problem: "cannot read \(path)",
                                  fix: "check that the file exists and is readable (relative paths are resolved against the kubeconfig's directory)")
        }
        return [UInt8](data)
    }
}
