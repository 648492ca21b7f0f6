/// `incident-operator run`.
enum RunCommand {
    static let command = Command(name: "run", summary: "Run the operator against a cluster", options: []) { _ in
        Console.error("run: not implemented yet")
        return 1
    }
}
