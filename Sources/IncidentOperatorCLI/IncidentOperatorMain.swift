import Foundation

/// The `incident-operator` entry point: dispatches to one ``Command`` per subcommand.
@main
enum IncidentOperatorMain {
    /// Every subcommand, in the order `--help` lists them. Each lives in its own file.
    static let commands: [Command] = [
        RenderCommand.command,
        CRDCommand.command,
        SandboxCommand.command,
        RunCommand.command,
        DevCommand.command,
        RBACCommand.command,
        VersionCommand.command,
    ]

    static func main() async {
        let code = await run(arguments: Array(CommandLine.arguments.dropFirst()))
        exit(code)
    }

    /// Runs one command line and returns the exit code: 0 success, 1 runtime failure, 2 usage or validation error.
    static func run(arguments: [String]) async -> Int32 {
        guard let name = arguments.first, name != "--help", name != "-h", name != "help" else {
            print(topLevelHelp())
            return arguments.isEmpty ? 2 : 0
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            Console.error("unknown command \"\(name)\" for \"incident-operator\"\nRun 'incident-operator --help' for usage.")
            return 2
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            print(command.help())
            return 0
        }
        do {
            let options = try command.parse(rest)
            return try await command.run(options)
        } catch let error as UsageError {
            Console.error("\(error.message)\nRun 'incident-operator \(command.name) --help' for usage.")
            return 2
        } catch {
            Console.error("\(error)")
            return 1
        }
    }

    static func topLevelHelp() -> String {
        var lines = [
            "incident-operator: turns IncidentPlatform resources into a running incident-management platform.",
            "",
            "Usage:",
            "  incident-operator <command> [flags]",
            "",
            "Commands:",
        ]
        let width = commands.map(\.name.count).max() ?? 0
        for c in commands {
            lines.append("  \(c.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(c.summary)")
        }
        lines += ["", "Use \"incident-operator <command> --help\" for more about a command."]
        return lines.joined(separator: "\n")
    }
}
