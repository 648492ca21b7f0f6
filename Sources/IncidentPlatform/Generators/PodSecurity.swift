import KubeCore

/// Security contexts. Everything except the two node agents meets the Pod Security "restricted" profile.
enum PodSecurity {
    /// A restricted pod security context: non-root with a fixed non-zero uid, seccomp RuntimeDefault.
    static func restrictedPod(user: Int, group: Int? = nil) -> JSONValue {
        var context: JSONValue = [
            "runAsNonRoot": true,
            "runAsUser": .int(user),
            "runAsGroup": .int(group ?? user),
            "seccompProfile": ["type": "RuntimeDefault"],
        ]
        context["fsGroup"] = .int(group ?? user)
        return context
    }

    /// A restricted container security context: no privilege escalation, every capability dropped, read-only
    /// root filesystem (writable paths come from emptyDir or PVC mounts).
    static let restrictedContainer: JSONValue = [
        "allowPrivilegeEscalation": false,
        "readOnlyRootFilesystem": true,
        "runAsNonRoot": true,
        "capabilities": ["drop": ["ALL"]],
        "seccompProfile": ["type": "RuntimeDefault"],
    ]

    /// The emptyDir volume and mount for `/tmp` that a read-only root filesystem needs.
    static let tmpVolume: JSONValue = ["name": "tmp", "emptyDir": ["sizeLimit": "64Mi"]]
    /// The mount of ``tmpVolume``.
    static let tmpMount: JSONValue = ["name": "tmp", "mountPath": "/tmp"]
}
