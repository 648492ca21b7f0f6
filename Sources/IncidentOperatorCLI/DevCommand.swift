/// `incident-operator dev`.
enum DevCommand {
    static let command = Command(name: "dev", summary: "Start the sandbox, install the example and run the operator", options: []) { _ in
        Console.error("dev: not implemented yet")
        return 1
    }
}
