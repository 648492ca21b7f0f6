import Foundation
import KubeCore

/// What a real cluster's controllers and kubelets would write, as kwok does: Node objects, workload status
/// (replicas, ready/available/updated, `Available`/`Progressing` conditions with `observedGeneration`) after the
/// ready delay, DaemonSets scheduled on every node, PVCs `Bound`, HPA status, and a `default` ServiceAccount in
/// each new namespace.
final class ClusterSimulator: Sendable {
    private let store: ObjectStore
    private let nodes: Int
    private let readyDelay: Double
    private let queue = DispatchQueue(label: "sandbox.cluster-simulator")
    private let running = RunningFlag()

    init(store: ObjectStore, nodes: Int, readyDelay: Double) {
        self.store = store
        self.nodes = nodes
        self.readyDelay = readyDelay
    }

    /// Creates the default namespaces and the nodes if they do not exist yet.
    func bootstrap() throws {
        running.set(true)
        try store.sync {
            for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] where store.get(ResourceType.namespaceStoreKey, namespace: nil, name: ns) == nil {
                try store.put(ResourceType.namespaceStoreKey, Self.newObject("v1", "Namespace", name: ns, namespace: nil, extra: [
                    "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"],
                ], labels: ["kubernetes.io/metadata.name": .string(ns)]))
                try store.put("/serviceaccounts", Self.newObject("v1", "ServiceAccount", name: "default", namespace: ns, extra: [:], labels: [:]))
            }
            let nodeKey = ResourceDescriptor.nodes.group + "/" + ResourceDescriptor.nodes.plural
            for i in 1...max(1, nodes) where store.get(nodeKey, namespace: nil, name: "sandbox-node-\(i)") == nil {
                let now = JSONValue.string(Age.nowTimestamp())
                try store.put(nodeKey, Self.newObject("v1", "Node", name: "sandbox-node-\(i)", namespace: nil, extra: [
                    "spec": ["podCIDR": .string("10.244.\(i).0/24")],
                    "status": [
                        "capacity": ["cpu": "8", "memory": "32Gi", "pods": "110", "ephemeral-storage": "100Gi"],
                        "allocatable": ["cpu": "8", "memory": "32Gi", "pods": "110", "ephemeral-storage": "100Gi"],
                        "conditions": [["type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                                        "lastHeartbeatTime": now, "lastTransitionTime": now]],
                        "addresses": [["type": "InternalIP", "address": .string("172.18.0.\(i + 1)")], ["type": "Hostname", "address": .string("sandbox-node-\(i)")]],
                        "nodeInfo": ["kubeletVersion": "v1.32.0", "osImage": "sandbox", "operatingSystem": "linux", "architecture": "amd64",
                                     "containerRuntimeVersion": "sandbox://1.0", "kernelVersion": "6.0.0"],
                    ],
                ], labels: ["kubernetes.io/hostname": .string("sandbox-node-\(i)"), "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"]))
            }
        }
    }

    func stop() { running.set(false) }

    /// The kinds whose status the simulated cluster writes, by store key (`group/plural`).
    static let trackedStoreKeys: Set<String> = [
        "apps/deployments", "apps/statefulsets", "apps/daemonsets", "apps/replicasets", "/persistentvolumeclaims",
        "autoscaling/horizontalpodautoscalers", ResourceType.namespaceStoreKey,
    ]

    /// Reacts to an API write: immediate "progressing" status, then readiness after the delay.
    func observe(_ type: ResourceType, _ object: JSONValue) {
        schedule(type.storeKey, object, restarting: false)
    }

    /// After a restart from a data directory: looks at every stored object again, as kubelets and controllers
    /// re-report after a control-plane restart, so that rollouts under way when the sandbox stopped still finish.
    /// Only the "ready" step runs: what was ready stays ready (that write changes nothing and is skipped).
    func resumeAfterRestart() {
        for (storeKey, object) in store.everything() { schedule(storeKey, object, restarting: true) }
    }

    private func schedule(_ storeKey: String, _ object: JSONValue, restarting: Bool) {
        guard Self.trackedStoreKeys.contains(storeKey), object.deletionTimestamp == nil else { return }
        let namespace = object.namespace
        let name = object.name ?? ""
        if !restarting { queue.async { [self] in reconcile(storeKey, namespace, name, ready: false) } }
        queue.asyncAfter(deadline: .now() + readyDelay) { [self] in reconcile(storeKey, namespace, name, ready: true) }
    }

    private func reconcile(_ storeKey: String, _ namespace: String?, _ name: String, ready: Bool) {
        guard running.value else { return }
        do {
            try store.sync {
                guard let o = store.get(storeKey, namespace: namespace, name: name), o.deletionTimestamp == nil else { return }
                var updated = o
                switch storeKey {
                case "apps/deployments", "apps/statefulsets", "apps/replicasets": updated["status"] = workloadStatus(o, kind: storeKey, ready: ready)
                case "apps/daemonsets": updated["status"] = daemonSetStatus(o, ready: ready)
                case "/persistentvolumeclaims":
                    guard ready else { return }
                    updated["status"] = [
                        "phase": "Bound", "accessModes": o["spec", "accessModes"] ?? ["ReadWriteOnce"],
                        "capacity": ["storage": o["spec", "resources", "requests", "storage"] ?? "1Gi"],
                    ]
                    if updated["spec", "volumeName"] == nil { updated["spec", "volumeName"] = .string("pvc-\(o.uid ?? name)") }
                case "autoscaling/horizontalpodautoscalers":
                    let replicas = max(o["spec", "minReplicas"]?.intValue ?? 1, 1)
                    updated["status"] = ["currentReplicas": .int(replicas), "desiredReplicas": .int(replicas), "observedGeneration": .int(o.generation ?? 1)]
                case ResourceType.namespaceStoreKey:
                    if store.get("/serviceaccounts", namespace: name, name: "default") == nil {
                        try store.put("/serviceaccounts", Self.newObject("v1", "ServiceAccount", name: "default", namespace: name, extra: [:], labels: [:]))
                    }
                    return
                default: return
                }
                if updated != o { try store.put(storeKey, updated) }
            }
        } catch {
            FileHandle.standardError.write(Data("sandbox: cluster simulator could not update \(storeKey) \(name): \(error)\n".utf8))
        }
    }

    private func workloadStatus(_ o: JSONValue, kind: String, ready: Bool) -> JSONValue {
        let replicas = o["spec", "replicas"]?.intValue ?? 1
        let readyCount = ready ? replicas : 0
        let generation = o.generation ?? 1
        var status: JSONValue = [
            "observedGeneration": .int(generation), "replicas": .int(replicas), "updatedReplicas": .int(replicas),
            "readyReplicas": .int(readyCount), "availableReplicas": .int(readyCount),
        ]
        if !ready { status["unavailableReplicas"] = .int(replicas) }
        if kind == "apps/statefulsets" {
            status["currentReplicas"] = .int(replicas)
            status["currentRevision"] = .string("\(o.name ?? "")-rev\(generation)")
            status["updateRevision"] = .string("\(o.name ?? "")-rev\(generation)")
        }
        if kind == "apps/replicasets" { status["fullyLabeledReplicas"] = .int(replicas) }
        if readyCount == 0 {
            status["readyReplicas"] = nil
            status["availableReplicas"] = nil
        }
        if kind == "apps/deployments" {
            let previous = o["status", "conditions"]?.arrayValue ?? []
            status["conditions"] = .array([
                condition("Available", ready ? "True" : "False", ready ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                          ready ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", previous),
                condition("Progressing", "True", ready ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                          ready ? "ReplicaSet \"\(o.name ?? "")\" has successfully progressed." : "ReplicaSet \"\(o.name ?? "")\" is progressing.", previous),
            ])
        }
        return status
    }

    private func condition(_ type: String, _ status: String, _ reason: String, _ message: String, _ previous: [JSONValue]) -> JSONValue {
        let now = JSONValue.string(Age.nowTimestamp())
        let old = previous.first { $0["type"]?.stringValue == type }
        let transition = old?["status"]?.stringValue == status ? (old?["lastTransitionTime"] ?? now) : now
        return ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                "lastUpdateTime": now, "lastTransitionTime": transition]
    }

    private func daemonSetStatus(_ o: JSONValue, ready: Bool) -> JSONValue {
        let n = max(1, nodes)
        return [
            "observedGeneration": .int(o.generation ?? 1), "desiredNumberScheduled": .int(n), "currentNumberScheduled": .int(n),
            "numberReady": .int(ready ? n : 0), "updatedNumberScheduled": .int(n), "numberAvailable": .int(ready ? n : 0),
            "numberMisscheduled": 0,
        ]
    }

    static func newObject(_ apiVersion: String, _ kind: String, name: String, namespace: String?, extra: [String: JSONValue], labels: [String: JSONValue]) -> JSONValue {
        var o: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": [
            "name": .string(name), "uid": .string(UUID().uuidString.lowercased()), "creationTimestamp": .string(Age.nowTimestamp()),
        ]]
        if let namespace { o["metadata", "namespace"] = .string(namespace) }
        if !labels.isEmpty { o["metadata", "labels"] = .object(labels) }
        for (k, v) in extra { o[k] = v }
        return o
    }
}

/// A thread-safe Boolean.
final class RunningFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.withLock { flag } }
    func set(_ v: Bool) { lock.withLock { flag = v } }
}
