import KubeCore

/// The `users[].user.exec` section of a kubeconfig: a command that prints an `ExecCredential`.
public struct ExecPluginConfig: Sendable, Equatable {
    /// `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`.
    public var apiVersion: String
    /// The executable: an absolute path, a path relative to the kubeconfig's directory (it contains `/`),
    /// or a name looked up in `$PATH`.
    public var command: String
    /// Arguments.
    public var args: [String]
    /// Extra environment variables, in order.
    public var env: [EnvVar]
    /// `Never`, `IfAvailable` or `Always`. The client never has a terminal, so `Always` cannot work.
    public var interactiveMode: String
    /// Text to show when the command is missing (`installHint`).
    public var installHint: String?
    /// `provideClusterInfo`: pass the cluster (server, CA) to the plugin in `KUBERNETES_EXEC_INFO`.
    public var provideClusterInfo: Bool
    /// The `spec.cluster` object sent when `provideClusterInfo` is set (filled in when the context is resolved).
    public var cluster: JSONValue?
    /// The kubeconfig the section came from (for relative commands and error messages).
    public var sourceFile: String
    /// Where in that file: `users[eks].user.exec`.
    public var field: String

    /// One `env` entry.
    public struct EnvVar: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The API versions of `ExecCredential` this client understands.
    public static let supportedAPIVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    public init(apiVersion: String, command: String, args: [String] = [], env: [EnvVar] = [],
                interactiveMode: String = "IfAvailable", installHint: String? = nil, provideClusterInfo: Bool = false,
                sourceFile: String = "", field: String = "exec") {
        self.provideClusterInfo = provideClusterInfo
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.interactiveMode = interactiveMode
        self.installHint = installHint
        self.sourceFile = sourceFile
        self.field = field
    }
}
