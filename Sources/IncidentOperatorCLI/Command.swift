import Foundation

/// One subcommand: its name, its flags, and what it does.
struct Command: Sendable {
    /// The word after `incident-operator`.
    let name: String
    /// One line for the command list.
    let summary: String
    /// The flags it accepts.
    let options: [Option]
    /// Whether positional arguments are accepted.
    var acceptsPositionals = false
    /// Runs the command; returns the exit code. Throw ``UsageError`` for bad input (exit 2).
    let run: @Sendable (ParsedOptions) async throws -> Int32

    /// The text printed for `incident-operator NAME --help`.
    func help() -> String {
        var lines = [summary, "", "Usage:", "  incident-operator \(name)\(options.isEmpty ? "" : " [flags]")"]
        if !options.isEmpty {
            lines += ["", "Flags:"]
            let rendered = options.map { o -> (String, String) in
                let short = o.short.map { "-\($0), " } ?? "    "
                let value = o.valueName.map { " \($0)" } ?? ""
                let def = o.defaultValue.map { " (default \($0))" } ?? ""
                return ("  \(short)--\(o.long)\(value)", o.help + def)
            }
            let width = rendered.map(\.0.count).max() ?? 0
            for (flag, text) in rendered {
                lines.append("\(flag.padding(toLength: width + 3, withPad: " ", startingAt: 0))\(text)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Parses `--flag value`, `--flag=value`, `-f value` and boolean `--flag`; unknown flags are usage errors.
    func parse(_ arguments: [String]) throws -> ParsedOptions {
        var parsed = ParsedOptions()
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if arg == "-" || !arg.hasPrefix("-") {
                guard acceptsPositionals else { throw UsageError("unexpected argument \"\(arg)\"") }
                parsed.positionals.append(arg)
                continue
            }
            var key = arg
            var inlineValue: String?
            if let eq = arg.firstIndex(of: "=") {
                key = String(arg[..<eq])
                inlineValue = String(arg[arg.index(after: eq)...])
            }
            let option: Option? =
                key.hasPrefix("--")
                ? options.first { "--\($0.long)" == key }
                : options.first { $0.short.map { "-\($0)" } == key }
            guard let option else { throw UsageError("unknown flag: \(key)") }
            if option.valueName == nil {
                switch inlineValue {
                case nil, "true": parsed.values[option.long, default: []].append("true")
                case "false": parsed.values[option.long, default: []].append("false")
                default: throw UsageError("flag --\(option.long) takes no value (or =true/=false)")
                }
                continue
            }
            if let inlineValue {
                parsed.values[option.long, default: []].append(inlineValue)
            } else {
                guard i < arguments.count else { throw UsageError("flag needs an argument: --\(option.long)") }
                parsed.values[option.long, default: []].append(arguments[i])
                i += 1
            }
        }
        for o in options where parsed.values[o.long] == nil {
            if let d = o.defaultValue { parsed.values[o.long] = [d] }
        }
        return parsed
    }
}

/// A command-line flag.
struct Option: Sendable {
    /// The long name, without `--`.
    let long: String
    /// An optional one-letter name, without `-`.
    var short: Character? = nil
    /// The placeholder shown in help (`FILE`); `nil` for a boolean flag.
    var valueName: String? = nil
    /// The default, shown in help and returned when the flag is absent.
    var defaultValue: String? = nil
    /// One line of help.
    let help: String
}

/// The flags and positionals of one command line.
struct ParsedOptions: Sendable {
    /// Every value given for each flag (long name), in order; defaults included.
    var values: [String: [String]] = [:]
    /// Arguments that are not flags.
    var positionals: [String] = []

    /// The last value of a flag, or its default.
    func value(_ long: String) -> String? { values[long]?.last }
    /// Whether a boolean flag is on.
    func flag(_ long: String) -> Bool { values[long]?.last == "true" }
    /// An integer flag; a usage error if it is not an integer.
    func int(_ long: String) throws -> Int? {
        guard let v = value(long) else { return nil }
        guard let i = Int(v) else { throw UsageError("invalid value \"\(v)\" for --\(long): expected an integer") }
        return i
    }
}

/// Bad command-line input; printed with a hint and exit code 2.
struct UsageError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Writes to standard error.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data("incident-operator: \(text)\n".utf8))
    }
}
