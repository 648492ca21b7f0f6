import Foundation
import HTTPServer
import KubeCore

/// A local Kubernetes API server that kubectl, Helm and this project's client accept: discovery, OpenAPI v3,
/// CRUD/patch/watch with the real server's semantics, simulated cluster status, fault injection, persistence
/// and `/metrics`.
///
/// ```swift
/// let sandbox = SandboxServer(options: SandboxOptions())
/// let port = try sandbox.start()
/// defer { sandbox.stop() }
/// try sandbox.writeKubeconfig(to: URL(fileURLWithPath: "/tmp/kubeconfig"))
/// // http://127.0.0.1:\(port)/api/v1/namespaces
/// ```
public final class SandboxServer: Sendable {
    private let options: SandboxOptions
    private let state = SandboxState()

    /// Creates a sandbox; nothing listens (and nothing is loaded) until ``start()``.
    public init(options: SandboxOptions = SandboxOptions()) {
        self.options = options
    }

    /// Loads persisted state (with `dataDir`), creates the default namespaces and nodes, starts listening and
    /// returns the bound port. Calling it again while running returns the same port.
    /// - Throws: a data directory or listen error that names the path or address.
    @discardableResult
    public func start() throws -> Int {
        if let running = state.current { return running.port }
        let persistence = try options.dataDir.map { try Persistence(directory: $0) }
        let store = try ObjectStore(historyLimit: options.historyLimit, persistence: persistence)
        let registry = ResourceRegistry()
        for crd in store.list("apiextensions.k8s.io/customresourcedefinitions", namespace: nil) { registry.install(crd: crd) }
        let simulator = ClusterSimulator(store: store, nodes: options.nodes, readyDelay: options.readyDelay)
        try simulator.bootstrap()
        if persistence != nil { simulator.resumeAfterRestart() }
        let faults = FaultState(options.faults)
        let audit = try options.auditLog.map { try AuditLog(url: $0) }
        let portBox = PortBox()
        let http = HTTPServer(options: HTTPServerOptions(host: options.host, port: options.port, maxConnections: 1024, maxBodyBytes: options.maxBodyBytes)) { request in
            portBox.api?.handle(request) ?? .text(503, "starting\n")
        }
        let port = try http.start()
        // Discovery reports the bound address, so the API is built once the port is known.
        var apiOptions = options
        apiOptions.port = port
        portBox.api = SandboxAPI(store: store, registry: registry, faults: faults, options: apiOptions, audit: audit) { type, object in
            simulator.observe(type, object)
        }
        state.set(Running(http: http, store: store, simulator: simulator, faults: faults, port: port))
        startFaultTimers(store: store, faults: faults)
        return port
    }

    /// Stops serving (open watches end), writes a final snapshot and stops the simulator.
    public func stop() {
        guard let running = state.take() else { return }
        running.simulator.stop()
        running.store.closeAllWatches()
        running.http.stop()
        do { try running.store.close() } catch {
            FileHandle.standardError.write(Data("sandbox: final snapshot failed: \(error)\n".utf8))
        }
    }

    /// The bound port (0 before ``start()``).
    public var port: Int { state.current?.port ?? 0 }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL {
        URL(string: "http://\(options.host):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// Replaces the injected faults at runtime (also possible with `POST /sandbox/faults`).
    public func setFaults(_ faults: SandboxFaults) { state.current?.faults.set(faults) }

    /// Forgets the watch history now: watches and continue tokens from older resourceVersions get 410 Expired.
    public func compactHistory() { state.current?.store.compact() }

    /// Ends every open watch now, as an API server restart or a load balancer timeout would.
    public func closeWatches() { state.current?.store.closeAllWatches() }

    /// The kubeconfig text for this sandbox (cluster, user and context named `sandbox`; the first configured token, if any).
    public func kubeconfig() -> String {
        var user = "  user: {}"
        if let token = options.tokens.keys.sorted().first { user = "  user:\n    token: \(token)" }
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: \(baseURL.absoluteString)
        users:
        - name: sandbox
        \(user)
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox

        """
    }

    /// Writes ``kubeconfig()`` to `url` (creating parent directories).
    public func writeKubeconfig(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(kubeconfig().utf8).write(to: url, options: .atomic)
    }

    private func startFaultTimers(store: ObjectStore, faults: FaultState) {
        let state = self.state
        let thread = Thread {
            var lastClose = Date()
            var lastCompact = Date()
            while state.current != nil {
                Thread.sleep(forTimeInterval: 0.1)
                let f = faults.current
                if f.watchCloseInterval > 0, Date().timeIntervalSince(lastClose) >= f.watchCloseInterval {
                    lastClose = Date()
                    store.closeAllWatches()
                }
                if f.compactInterval > 0, Date().timeIntervalSince(lastCompact) >= f.compactInterval {
                    lastCompact = Date()
                    store.compact()
                }
            }
        }
        thread.name = "sandbox-faults"
        thread.start()
    }
}

/// The parts of a running sandbox.
struct Running: Sendable {
    let http: HTTPServer
    let store: ObjectStore
    let simulator: ClusterSimulator
    let faults: FaultState
    let port: Int
}

/// The running sandbox, if any, behind a lock.
final class SandboxState: @unchecked Sendable {
    private let lock = NSLock()
    private var running: Running?
    var current: Running? { lock.withLock { running } }
    func set(_ r: Running) { lock.withLock { running = r } }
    func take() -> Running? { lock.withLock { defer { running = nil }; return running } }
}

/// The API instance, set once the port is known.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: SandboxAPI?
    var api: SandboxAPI? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
