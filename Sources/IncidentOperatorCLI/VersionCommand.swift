/// `incident-operator version`.
enum VersionCommand {
    /// The released version of the binary.
    static let version = "0.1.0"

    static let command = Command(name: "version", summary: "Print the version", options: []) { _ in
        print("incident-operator \(version)")
        return 0
    }
}
