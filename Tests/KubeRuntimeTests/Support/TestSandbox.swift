import KubeClient
import KubeSandbox

/// A sandbox on a free loopback port, with no simulated rollout delay unless `configure` sets one, and a client
/// for it. Stop the server when done (`defer { sandbox.server.stop() }`).
func startTestSandbox(_ configure: (inout SandboxOptions) -> Void = { _ in }) throws -> (server: SandboxServer, client: KubeClient) {
    var options = SandboxOptions()
    options.port = 0
    options.readyDelay = 0
    configure(&options)
    let server = SandboxServer(options: options)
    let port = try server.start()
    return (server, KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:\(port)"), logger: .silent))
}
