import Foundation

/// How a ``SandboxServer`` is set up.
///
/// ```swift
/// var options = SandboxOptions()
/// options.readyDelay = 0.2
/// let sandbox = SandboxServer(options: options)
/// let port = try sandbox.start()
/// ```
public struct SandboxOptions: Sendable {
    /// The IPv4 address to listen on.
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one.
    public var port: Int = 0
    /// How many Node objects the simulated cluster has.
    public var nodes: Int = 3
    /// Seconds before workloads report ready replicas and PVCs become Bound.
    public var readyDelay: Double = 2
    /// Where state is persisted (snapshot + write-ahead log); nil keeps everything in memory.
    public var dataDir: URL?
    /// Faults to inject from the start (changeable at runtime through `POST /sandbox/faults`).
    public var faults = SandboxFaults()
    /// Bearer tokens and the user each one authenticates. When not empty, API requests with an unknown
    /// token are answered 401 Unauthorized (requests without any token are allowed, as an anonymous user).
    public var tokens: [String: String] = [:]
    /// Whether requests from a token's user or an impersonated user (`Impersonate-User`, `kubectl --as`) are
    /// checked against the RBAC objects in the sandbox (403 Forbidden when not allowed). Requests without a
    /// token act as `system:admin` and are never checked.
    public var enforceRBAC: Bool = false
    /// Where to append a JSON line per write request (time, user, agent, field manager, verb, object, code).
    public var auditLog: URL?
    /// How many events are kept for watch resume; older resourceVersions get 410 Expired.
    public var historyLimit: Int = 2000
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int = 8 * 1024 * 1024

    /// The defaults: loopback, a free port, 3 nodes, 2 s ready delay, in memory, no faults, no tokens.
    public init() {}
}
