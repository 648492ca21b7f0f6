import Foundation

/// The `incident-operator` command line: parses the subcommand and runs it.
enum IncidentOperatorCommand {
    /// The version printed by `incident-operator version`.
    static let version = "0.1.0"

    /// Runs the command line and returns the process exit code (0 ok, 1 runtime failure, 2 usage error).
    static func main(arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            FileHandle.standardError.write(Data("usage: incident-operator <command> [flags]\n".utf8))
            return 2
        }
        switch command {
        case "version":
            print("incident-operator \(version)")
            return 0
        default:
            FileHandle.standardError.write(Data("incident-operator: unknown command \"\(command)\"\n".utf8))
            return 2
        }
    }
}
