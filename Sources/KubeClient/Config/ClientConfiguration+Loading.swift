import Foundation

extension ClientConfiguration {
    /// Where a pod's service-account token, CA and namespace are mounted.
    public static let defaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Finds the configuration the way kubectl-based tools do:
    /// 1. `kubeconfig` (the `--kubeconfig` flag), if given;
    /// 2. `$KUBECONFIG`, colon-separated files merged (the first file that sets a value wins; missing files
    ///    are skipped, but at least one must exist);
    /// 3. in-cluster, when `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` are set;
    /// 4. `~/.kube/config`.
    ///
    /// `context` (the `--context` flag) picks a kubeconfig context; it is an error in-cluster.
    public static func load(kubeconfig: String? = nil, context: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            serviceAccountDirectory: String = defaultServiceAccountDirectory,
                            homeDirectory: String? = nil) throws -> ClientConfiguration {
        if let kubeconfig, !kubeconfig.isEmpty {
            return try KubeConfig.load(files: [kubeconfig]).configuration(context: context)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let files = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            let existing = files.filter { FileManager.default.fileExists(atPath: $0) }
            guard !existing.isEmpty else {
                throw KubeConfigError(file: "$KUBECONFIG", field: "KUBECONFIG", problem: "none of the files exist (\(list))",
                                      fix: "point KUBECONFIG at an existing kubeconfig or unset it")
            }
            return try KubeConfig.load(files: existing).configuration(context: context)
        }
        if environment["KUBERNETES_SERVICE_HOST"] != nil {
            if let context {
                throw KubeConfigError(file: "(in-cluster)", field: "--context", problem: "--context \(context) was given but no kubeconfig was found; running in-cluster",
                                      fix: "drop --context, or pass --kubeconfig")
            }
            return try inCluster(environment: environment, directory: serviceAccountDirectory)
        }
        let home = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
        let path = URL(fileURLWithPath: home).appendingPathComponent(".kube/config").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw KubeConfigError(file: path, field: "(file)", problem: "no configuration found: no --kubeconfig, no $KUBECONFIG, not in a cluster, and \(path) does not exist",
                                  fix: "pass --kubeconfig FILE, set KUBECONFIG, or run inside a pod")
        }
        return try KubeConfig.load(files: [path]).configuration(context: context)
    }

    /// The in-cluster configuration: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the CA and the
    /// (rotating) token from `directory`, and the pod's namespace (`default` when the file is absent).
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 directory: String = defaultServiceAccountDirectory) throws -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw KubeConfigError(file: "(environment)", field: "KUBERNETES_SERVICE_HOST", problem: "not set, so this is not running in a pod",
                                  fix: "run inside a pod, or use a kubeconfig")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"], let portNumber = Int(port), portNumber > 0 else {
            throw KubeConfigError(file: "(environment)", field: "KUBERNETES_SERVICE_PORT", problem: "missing or not a port number",
                                  fix: "set KUBERNETES_SERVICE_PORT (Kubernetes sets it in every pod)")
        }
        let dir = URL(fileURLWithPath: directory)
        let tokenPath = dir.appendingPathComponent("token").path
        let caPath = dir.appendingPathComponent("ca.crt").path
        let fix = "mount the service-account token (automountServiceAccountToken: true) or use a kubeconfig"
        guard let token = FileManager.default.contents(atPath: tokenPath), !token.isEmpty else {
            throw KubeConfigError(file: tokenPath, field: "token", problem: "the service-account token is missing or empty", fix: fix)
        }
        guard let ca = FileManager.default.contents(atPath: caPath), !ca.isEmpty else {
            throw KubeConfigError(file: caPath, field: "ca.crt", problem: "the cluster CA certificate is missing or empty", fix: fix)
        }
        let namespaceData = FileManager.default.contents(atPath: dir.appendingPathComponent("namespace").path)
        let namespace = namespaceData.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return ClientConfiguration(server: "https://\(bracketed):\(portNumber)", namespace: namespace.isEmpty ? "default" : namespace,
                                   tls: TLSOptions(caPEM: [UInt8](ca)), authentication: .tokenFile(path: tokenPath),
                                   source: "in-cluster (\(directory))")
    }
}
