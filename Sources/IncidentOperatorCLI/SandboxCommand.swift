/// `incident-operator sandbox`.
enum SandboxCommand {
    static let command = Command(name: "sandbox", summary: "Run the local Kubernetes API sandbox", options: []) { _ in
        Console.error("sandbox: not implemented yet")
        return 1
    }
}
