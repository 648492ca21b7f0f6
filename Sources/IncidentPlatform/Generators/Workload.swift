import KubeCore

/// Building blocks shared by the component generators: probes, ports, Services, PVCs, pod templates.
enum Workload {
    /// The pod-template annotation holding a hash of the component's configuration, so that a configuration
    /// change rolls the pods.
    static let configHashAnnotation = "incidentops.io/config-hash"

    /// An HTTP GET probe on a named port.
    static func httpProbe(path: String, port: String, period: Int, failureThreshold: Int, timeout: Int = 3) -> JSONValue {
        [
            "httpGet": ["path": .string(path), "port": .string(port), "scheme": "HTTP"],
            "periodSeconds": .int(period),
            "timeoutSeconds": .int(timeout),
            "failureThreshold": .int(failureThreshold),
            "successThreshold": 1,
        ]
    }

    /// Startup (up to 2.5 minutes), readiness and liveness probes on the same HTTP endpoint.
    static func httpProbes(path: String, port: String, readinessPath: String? = nil) -> [String: JSONValue] {
        [
            "startupProbe": httpProbe(path: path, port: port, period: 5, failureThreshold: 30),
            "readinessProbe": httpProbe(path: readinessPath ?? path, port: port, period: 10, failureThreshold: 3),
            "livenessProbe": httpProbe(path: path, port: port, period: 20, failureThreshold: 3),
        ]
    }

    /// A container port.
    static func port(_ name: String, _ number: Int, hostPort: Int? = nil) -> JSONValue {
        var port: JSONValue = ["name": .string(name), "containerPort": .int(number), "protocol": "TCP"]
        if let hostPort { port["hostPort"] = .int(hostPort) }
        return port
    }

    /// A literal environment variable.
    static func env(_ name: String, _ value: String) -> JSONValue { ["name": .string(name), "value": .string(value)] }

    /// An environment variable read from a Secret key.
    static func env(_ name: String, secret: String, key: String) -> JSONValue {
        ["name": .string(name), "valueFrom": ["secretKeyRef": ["name": .string(secret), "key": .string(key)]]]
    }

    /// A ClusterIP Service exposing one named port of a component's pods.
    static func service(_ component: PlatformComponent, _ meta: ChildMetadata, portName: String, port: Int) -> JSONValue {
        ChildMetadata.object(.services, meta.metadata(component), [
            "spec": [
                "type": "ClusterIP",
                "selector": meta.selectorLabels(component),
                "ports": [["name": .string(portName), "port": .int(port), "targetPort": .string(portName), "protocol": "TCP"]],
            ]
        ])
    }

    /// A ReadWriteOnce PersistentVolumeClaim named `<platform>-<component>`.
    static func persistentVolumeClaim(_ component: PlatformComponent, _ meta: ChildMetadata, size: Quantity,
                                      storageClassName: String?, owned: Bool) -> JSONValue {
        var spec: JSONValue = [
            "accessModes": ["ReadWriteOnce"],
            "volumeMode": "Filesystem",
            "resources": ["requests": ["storage": .string(size.description)]],
        ]
        if let storageClassName { spec["storageClassName"] = .string(storageClassName) }
        return ChildMetadata.object(.persistentVolumeClaims, meta.metadata(component, owned: owned), ["spec": spec])
    }

    /// A volume backed by a PVC.
    static func claimVolume(_ name: String, claim: String) -> JSONValue {
        ["name": .string(name), "persistentVolumeClaim": ["claimName": .string(claim)]]
    }

    /// A volume backed by a ConfigMap.
    static func configMapVolume(_ name: String, configMap: String) -> JSONValue {
        ["name": .string(name), "configMap": ["name": .string(configMap)]]
    }

    /// A volume mount.
    static func mount(_ name: String, _ path: String, readOnly: Bool = false) -> JSONValue {
        var mount: JSONValue = ["name": .string(name), "mountPath": .string(path)]
        if readOnly { mount["readOnly"] = true }
        return mount
    }

    /// A ConfigMap with text files.
    static func configMap(_ meta: JSONValue, data: [String: String]) -> JSONValue {
        ChildMetadata.object(.configMaps, meta, ["data": .object(data.mapValues { .string($0) })])
    }

    /// A one-replica Deployment with strategy `Recreate`, for components with a ReadWriteOnce volume (the volume
    /// cannot be attached to a second pod during a rolling update).
    static func singletonDeployment(_ component: PlatformComponent, _ meta: ChildMetadata, podAnnotations: JSONValue? = nil,
                                    podSpec: JSONValue) -> JSONValue {
        var template: JSONValue = ["metadata": ["labels": meta.labels(component)], "spec": podSpec]
        if let podAnnotations { template["metadata", "annotations"] = podAnnotations }
        return ChildMetadata.object(.deployments, meta.metadata(component), [
            "spec": [
                "replicas": 1,
                "revisionHistoryLimit": 3,
                "strategy": ["type": "Recreate"],
                "selector": ["matchLabels": meta.selectorLabels(component)],
                "template": template,
            ]
        ])
    }

    /// A stable 64-bit FNV-1a hash of `text`, in hex: the same text always gives the same value.
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The hash of several files, in key order.
    static func hash(_ files: [String: String]) -> String {
        hash(files.sorted { $0.key < $1.key }.map { "\($0.key)\u{0}\($0.value)" }.joined(separator: "\u{0}"))
    }
}
