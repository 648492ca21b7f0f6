import Testing
@testable import IncidentOperatorCLI

@Suite struct CommandParsingTests {
    static let command = Command(
        name: "demo", summary: "A demo command",
        options: [
            Option(long: "file", short: "f", valueName: "FILE", help: "input file"),
            Option(long: "output", short: "o", valueName: "FORMAT", defaultValue: "yaml", help: "output format"),
            Option(long: "verbose", help: "more output"),
        ],
        acceptsPositionals: true
    ) { _ in 0 }

    @Test func parsesLongShortInlineAndDefaults() throws {
        let p = try Self.command.parse(["-f", "a.yaml", "--verbose", "pos", "--output=json"])
        #expect(p.value("file") == "a.yaml")
        #expect(p.value("output") == "json")
        #expect(p.flag("verbose"))
        #expect(p.positionals == ["pos"])
        let d = try Self.command.parse([])
        #expect(d.value("output") == "yaml")
        #expect(!d.flag("verbose"))
    }

    @Test func stdinDashIsPositionalValue() throws {
        let p = try Self.command.parse(["-f", "-"])
        #expect(p.value("file") == "-")
    }

    @Test func booleanFlagAcceptsExplicitFalse() throws {
        #expect(try !Self.command.parse(["--verbose=false"]).flag("verbose"))
        #expect(throws: UsageError.self) { try Self.command.parse(["--verbose=maybe"]) }
    }

    @Test(arguments: [
        (["--nope"], "unknown flag: --nope"),
        (["-f"], "flag needs an argument: --file"),
        (["-x", "1"], "unknown flag: -x"),
    ])
    func usageErrorsNameTheFlag(arguments: [String], message: String) {
        do {
            _ = try Self.command.parse(arguments)
            Issue.record("expected a usage error for \(arguments)")
        } catch let e as UsageError {
            #expect(e.message == message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func positionalsRejectedUnlessAccepted() {
        let strict = Command(name: "s", summary: "", options: []) { _ in 0 }
        #expect(throws: UsageError.self) { try strict.parse(["extra"]) }
    }

    @Test func intFlagsAreChecked() throws {
        let c = Command(name: "w", summary: "", options: [Option(long: "workers", valueName: "N", help: "")]) { _ in 0 }
        #expect(try c.parse(["--workers", "4"]).int("workers") == 4)
        #expect(throws: UsageError.self) { try c.parse(["--workers", "four"]).int("workers") }
    }

    @Test func helpListsEveryFlagWithDefaults() {
        let help = Self.command.help()
        #expect(help.contains("-f, --file FILE"))
        #expect(help.contains("output format (default yaml)"))
        #expect(help.contains("--verbose"))
    }

    @Test func dispatcherExitCodes() async {
        #expect(await IncidentOperatorMain.run(arguments: ["version"]) == 0)
        #expect(await IncidentOperatorMain.run(arguments: ["bogus"]) == 2)
        #expect(await IncidentOperatorMain.run(arguments: ["version", "--bogus"]) == 2)
        #expect(await IncidentOperatorMain.run(arguments: ["version", "--help"]) == 0)
        #expect(await IncidentOperatorMain.run(arguments: []) == 2)
    }
}
