import Foundation

/// A helper process (Python test server, TLS proxy) that prints its port on the first line of stdout.
/// Terminated when released; each script also exits by itself after its lifetime.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is set up in init and only terminated afterwards.
    let port: Int
    private let process: Process
    /// The child's stdin: the scripts exit when it closes (with us), even if a wrapper (pyenv shim) sits between.
    private let lifeline = Pipe()

    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        process.standardInput = lifeline
        try process.run()
        var line: [UInt8] = []
        while !line.contains(UInt8(ascii: "\n")) {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            line += data
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw ChildProcessError(message: "\(arguments.joined(separator: " ")) did not print a port")
        }
        self.port = port
    }

    /// The fake API server (`fake_apiserver.py`).
    static func fakeAPIServer(tokenFile: String? = nil) throws -> ChildProcess {
        var args = ["python3", Fixtures.path("fake_apiserver.py"), "--lifetime", "120"]
        if let tokenFile { args += ["--token-file", tokenFile] }
        return try ChildProcess(args)
    }

    /// A TLS terminator requiring client certificates, in front of `backendPort`.
    static func tlsProxy(pki: String, backendPort: Int) throws -> ChildProcess {
        try ChildProcess(["python3", Fixtures.path("tls_proxy.py"), "--cert", "\(pki)/server.crt", "--key", "\(pki)/server.key",
                          "--client-ca", "\(pki)/ca.crt", "--backend-port", String(backendPort), "--lifetime", "120"])
    }

    deinit {
        // Not waitUntilExit: it can spin forever on a non-main thread; Foundation reaps the child itself.
        try? lifeline.fileHandleForWriting.close()
        // SIGKILL: a child spawned from a Dispatch thread inherits a mask that blocks SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct ChildProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
