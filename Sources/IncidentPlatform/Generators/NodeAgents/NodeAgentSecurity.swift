import KubeCore

/// What the two node agents (promtail, node-exporter) need beyond the restricted profile, and nothing more.
///
/// - promtail runs as root (uid 0) because the kubelet writes `/var/log/pods` as root with mode 0640; it keeps
///   no capabilities, no privilege escalation, a read-only root filesystem and read-only host mounts.
/// - node-exporter runs as `nobody` but needs `hostNetwork` and `hostPID` to report the node's network devices
///   and processes, and read-only hostPath mounts of `/proc`, `/sys` and `/`.
enum NodeAgentSecurity {
    /// Tolerate every taint, so the agent runs on every node (control plane included).
    static let tolerateEverything: JSONValue = [["operator": "Exists"]]

    /// A read-only hostPath volume.
    static func hostPath(_ name: String, _ path: String) -> JSONValue {
        ["name": .string(name), "hostPath": ["path": .string(path), "type": "Directory"]]
    }

    /// The container security context of a node agent: no capabilities, no escalation, read-only root.
    static func container(user: Int) -> JSONValue {
        [
            "allowPrivilegeEscalation": false,
            "readOnlyRootFilesystem": true,
            "runAsUser": .int(user),
            "runAsNonRoot": .bool(user != 0),
            "capabilities": ["drop": ["ALL"]],
            "seccompProfile": ["type": "RuntimeDefault"],
        ]
    }
}
