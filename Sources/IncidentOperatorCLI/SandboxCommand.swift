import Foundation
import KubeSandbox

/// `incident-operator sandbox`: runs the local Kubernetes API sandbox until SIGINT or SIGTERM.
enum SandboxCommand {
    static let command = Command(
        name: "sandbox",
        summary: "Run the local Kubernetes API sandbox (kubectl and Helm work against it)",
        options: [
            Option(long: "listen", valueName: "HOST:PORT", defaultValue: "127.0.0.1:0", help: "address to listen on; port 0 picks a free one"),
            Option(long: "kubeconfig-out", valueName: "FILE", help: "where to write a kubeconfig for this sandbox"),
            Option(long: "nodes", valueName: "N", defaultValue: "3", help: "how many Node objects the simulated cluster has"),
            Option(long: "ready-delay", valueName: "DURATION", defaultValue: "2s", help: "time before workloads report ready and PVCs bind"),
            Option(long: "data-dir", valueName: "DIR", help: "persist state here (snapshot + write-ahead log) across restarts"),
            Option(long: "faults", valueName: "SPEC", help: "faults to inject, e.g. write-error-rate=0.2,latency=200ms,watch-close=5s (see docs/sandbox.md)"),
            Option(long: "token", valueName: "TOKEN=USER", help: "accept this bearer token (repeatable); unknown tokens then get 401"),
            Option(long: "rbac", help: "enforce RBAC for token users and impersonated users (kubectl --as); no token means system:admin"),
            Option(long: "audit-log", valueName: "FILE", help: "append a JSON line per write request (who, what, when, result)"),
        ]
    ) { parsed in
        let options = try sandboxOptions(parsed)
        let sandbox = SandboxServer(options: options)
        let port = try sandbox.start()
        print("sandbox: serving the Kubernetes API at \(sandbox.baseURL.absoluteString) (port \(port))")
        if let path = parsed.value("kubeconfig-out") {
            let url = URL(fileURLWithPath: path)
            try sandbox.writeKubeconfig(to: url)
            print("sandbox: kubeconfig written to \(url.path)")
            print("sandbox: try: kubectl --kubeconfig \(url.path) get ns")
        }
        fflush(nil)
        await waitForTermination()
        print("sandbox: stopping")
        sandbox.stop()
        fflush(nil)
        return 0
    }

    /// Turns the flags into ``SandboxOptions``; bad values are usage errors naming the flag.
    static func sandboxOptions(_ parsed: ParsedOptions) throws -> SandboxOptions {
        var options = SandboxOptions()
        let listen = parsed.value("listen") ?? "127.0.0.1:0"
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw UsageError("invalid --listen \"\(listen)\": expected HOST:PORT, e.g. 127.0.0.1:8080")
        }
        options.host = String(listen[..<colon])
        options.port = port
        guard let nodes = try parsed.int("nodes"), nodes >= 1 else { throw UsageError("invalid --nodes: expected an integer of at least 1") }
        options.nodes = nodes
        let delay = parsed.value("ready-delay") ?? "2s"
        guard let seconds = SandboxFaults.parseDuration(delay) else {
            throw UsageError("invalid --ready-delay \"\(delay)\": expected a duration such as 500ms, 2s or 1m")
        }
        options.readyDelay = seconds
        if let dir = parsed.value("data-dir") { options.dataDir = URL(fileURLWithPath: dir) }
        options.enforceRBAC = parsed.flag("rbac")
        if let log = parsed.value("audit-log") { options.auditLog = URL(fileURLWithPath: log) }
        if let spec = parsed.value("faults") {
            do { options.faults = try SandboxFaults(spec: spec) } catch { throw UsageError("invalid --faults: \(error)") }
        }
        for pair in parsed.values["token"] ?? [] {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw UsageError("invalid --token \"\(pair)\": expected TOKEN=USER") }
            options.tokens[parts[0]] = parts[1]
        }
        return options
    }

    /// Returns when SIGINT or SIGTERM arrives.
    static func waitForTermination() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let queue = DispatchQueue(label: "sandbox.signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = ResumeOnce(continuation)
            let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
            for s in sources {
                s.setEventHandler { once.resume() }
                s.resume()
            }
            once.keep(sources)
        }
    }
}

/// Resumes a continuation once, whichever signal comes first; keeps the signal sources alive until then.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ c: CheckedContinuation<Void, Never>) { continuation = c }

    func keep(_ s: [any DispatchSourceSignal]) { lock.withLock { sources = s } }

    func resume() {
        let c = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { continuation = nil }
            return continuation
        }
        c?.resume()
    }
}
