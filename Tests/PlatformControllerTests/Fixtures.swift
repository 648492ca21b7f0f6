import Foundation
import IncidentPlatform
import KubeCore

/// Shared test data: the example platform and small objects.
enum Fixtures {
    /// The repository root (from this file's path).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `examples/platform.yaml` as JSON.
    static func examplePlatform() throws -> JSONValue {
        try YAML.parse(String(contentsOf: root.appendingPathComponent("examples/platform.yaml"), encoding: .utf8))
    }

    /// The example, loaded, with a uid (so children carry owner references).
    static func loadedExample(uid: String = "uid-1") throws -> IncidentPlatform {
        var object = try examplePlatform()
        object["metadata", "uid"] = .string(uid)
        switch PlatformSpecLoader.load(object) {
        case .success(let p): return p
        case .failure(let e): throw e
        }
    }

    /// A Deployment with the given labels, owner uid and status.
    static func deployment(name: String, namespace: String = "ops", instance: String = "demo", uid: String? = "uid-1",
                           replicas: Int? = 2, ready: Int? = nil) -> JSONValue {
        var o: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": [
                "name": .string(name), "namespace": .string(namespace),
                "labels": ["app.kubernetes.io/managed-by": "incident-operator", "app.kubernetes.io/instance": .string(instance),
                           "app.kubernetes.io/name": .string(name)],
            ],
            "spec": ["template": ["spec": ["containers": [["name": "app", "image": "app:1"]]]]],
        ]
        if let replicas { o["spec", "replicas"] = .int(replicas) }
        if let uid {
            o["metadata", "ownerReferences"] = [["apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform", "name": .string(instance),
                                                  "uid": .string(uid), "controller": true, "blockOwnerDeletion": true]]
        }
        if let ready { o["status"] = ["readyReplicas": .int(ready), "observedGeneration": 1] }
        return o
    }
}
