import Dispatch
import Foundation
import KubeCore

/// Runs an exec credential plugin off the cooperative pool and decodes what it prints.
struct ExecPluginRunner: Sendable {
    /// The environment the plugin inherits (plus its `env` entries).
    var environment: [String: String]
    /// How long the plugin may run.
    var timeout: Double = 60

    func run(_ config: ExecPluginConfig) async throws -> ExecCredential {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.runBlocking(config) })
            }
        }
    }

    private func runBlocking(_ config: ExecPluginConfig) throws -> ExecCredential {
        let where_ = "\(config.sourceFile): \(config.field)"
        if config.interactiveMode == "Always" {
            throw KubeClientError.authentication("\(where_).interactiveMode is Always, but this client never has a terminal; set interactiveMode: Never or IfAvailable")
        }
        let executable = try resolve(config)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = config.args
        var env = environment
        for item in config.env { env[item.name] = item.value }
        var info: JSONValue = ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": ["interactive": false]]
        if config.provideClusterInfo, let cluster = config.cluster { info["spec", "cluster"] = cluster }
        env["KUBERNETES_EXEC_INFO"] = info.jsonString()
        process.environment = env
        // Waiting through terminationHandler: Process.waitUntilExit can spin forever off the main thread.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw KubeClientError.authentication("\(where_).command: cannot start \(executable): \(error.localizedDescription)")
        }
        // SIGKILL, not terminate(): a child spawned from a Dispatch thread inherits a mask that blocks SIGTERM.
        let timer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        // Read stderr concurrently so that a chatty plugin cannot fill the pipe and stall.
        let errorBox = OutputBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorBox.set(stderr.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        group.wait()
        timer.cancel()
        let errorText = String(decoding: errorBox.get().prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exited with status \(process.terminationStatus)" : "was killed (timeout \(Int(timeout))s?)"
            throw KubeClientError.authentication("exec plugin \(executable) (\(where_)) \(how)" + (errorText.isEmpty ? "" : ": \(errorText)"))
        }
        return try ExecCredential(output: [UInt8](output), config: config)
    }

    /// An absolute path, a path relative to the kubeconfig (contains `/`), or a `$PATH` lookup.
    private func resolve(_ config: ExecPluginConfig) throws -> String {
        let command = config.command
        let hint = config.installHint.map { " \($0)" } ?? ""
        let fm = FileManager.default
        if command.contains("/") {
            let path = command.hasPrefix("/") ? command
                : URL(fileURLWithPath: config.sourceFile).deletingLastPathComponent().appendingPathComponent(command).standardizedFileURL.path
            guard fm.isExecutableFile(atPath: path) else {
                throw KubeClientError.authentication("\(config.sourceFile): \(config.field).command: \(path) is not an executable file; install the plugin or fix the path.\(hint)")
            }
            return path
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in searchPath.split(separator: ":") {
            let candidate = "\(dir)/\(command)"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw KubeClientError.authentication("\(config.sourceFile): \(config.field).command: \(command) was not found in PATH; install it or give its full path.\(hint)")
    }
}

/// Hands data from a reader thread to the waiting thread.
private final class OutputBox: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.withLock { data = d } }
    func get() -> Data { lock.withLock { data } }
}
