import KubeCore

/// The built-in resources the sandbox serves, with kubectl-like printer columns.
enum BuiltinResources {
    static let all: [ResourceType] = [
        ResourceType(descriptor: .namespaces, singular: "namespace", shortNames: ["ns"], hasStatus: true,
                     columns: [.jsonPath("Status", ".status.phase")]),
        ResourceType(descriptor: .configMaps, singular: "configmap", shortNames: ["cm"],
                     columns: [PrinterColumn(name: "Data", type: "integer") { .int(count($0["data"]) + count($0["binaryData"])) }]),
        ResourceType(descriptor: .secrets, singular: "secret",
                     columns: [.jsonPath("Type", ".type"),
                               PrinterColumn(name: "Data", type: "integer") { .int(count($0["data"]) + count($0["stringData"])) }]),
        ResourceType(descriptor: .services, singular: "service", shortNames: ["svc"], categories: ["all"], hasStatus: true,
                     columns: [.jsonPath("Type", ".spec.type"), .jsonPath("Cluster-IP", ".spec.clusterIP"),
                               PrinterColumn(name: "External-IP") { o in
                                   let ips = (o["spec", "externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
                                   return .string(ips.isEmpty ? "<none>" : ips.joined(separator: ","))
                               },
                               PrinterColumn(name: "Port(s)") { o in
                                   let ports = (o["spec", "ports"]?.arrayValue ?? []).map { p in
                                       "\(p["port"]?.intValue ?? 0)/\(p["protocol"]?.stringValue ?? "TCP")"
                                   }
                                   return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
                               }]),
        ResourceType(descriptor: .serviceAccounts, singular: "serviceaccount", shortNames: ["sa"]),
        ResourceType(descriptor: .persistentVolumeClaims, singular: "persistentvolumeclaim", shortNames: ["pvc"], hasStatus: true,
                     columns: [.jsonPath("Status", ".status.phase"), .jsonPath("Volume", ".spec.volumeName"),
                               .jsonPath("Capacity", ".status.capacity.storage"),
                               PrinterColumn(name: "Access Modes") { o in
                                   .string((o["status", "accessModes"]?.arrayValue ?? []).compactMap(\.stringValue).map(shortAccessMode).joined(separator: ","))
                               },
                               .jsonPath("StorageClass", ".spec.storageClassName")]),
        ResourceType(descriptor: .pods, singular: "pod", shortNames: ["po"], categories: ["all"], hasStatus: true,
                     columns: [PrinterColumn(name: "Ready") { o in
                                   let total = o["spec", "containers"]?.arrayValue?.count ?? 0
                                   let ready = (o["status", "containerStatuses"]?.arrayValue ?? []).filter { $0["ready"]?.boolValue == true }.count
                                   return .string("\(ready)/\(total)")
                               },
                               .jsonPath("Status", ".status.phase"),
                               PrinterColumn(name: "Restarts", type: "integer") { o in
                                   .int((o["status", "containerStatuses"]?.arrayValue ?? []).reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) })
                               }]),
        ResourceType(descriptor: .events, singular: "event", shortNames: ["ev"],
                     columns: [.jsonPath("Type", ".type"), .jsonPath("Reason", ".reason"), .jsonPath("Message", ".message")]),
        ResourceType(descriptor: .endpoints, singular: "endpoints", shortNames: ["ep"]),
        ResourceType(descriptor: .nodes, singular: "node", shortNames: ["no"], hasStatus: true,
                     columns: [PrinterColumn(name: "Status") { o in
                                   let ready = JSONPathLite(".status.conditions[?(@.type==\"Ready\")].status").evaluate(o).first?.stringValue
                                   return .string(ready == "True" ? "Ready" : "NotReady")
                               },
                               PrinterColumn(name: "Roles") { _ in "<none>" },
                               .jsonPath("Version", ".status.nodeInfo.kubeletVersion")]),
        ResourceType(descriptor: .deployments, singular: "deployment", shortNames: ["deploy"], categories: ["all"], hasStatus: true, hasScale: true,
                     columns: [readyColumn(ready: "readyReplicas", desired: ["spec", "replicas"]),
                               .jsonPath("Up-to-date", ".status.updatedReplicas", type: "integer"),
                               .jsonPath("Available", ".status.availableReplicas", type: "integer")]),
        ResourceType(descriptor: .daemonSets, singular: "daemonset", shortNames: ["ds"], categories: ["all"], hasStatus: true,
                     columns: [.jsonPath("Desired", ".status.desiredNumberScheduled", type: "integer"),
                               .jsonPath("Current", ".status.currentNumberScheduled", type: "integer"),
                               .jsonPath("Ready", ".status.numberReady", type: "integer"),
                               .jsonPath("Up-to-date", ".status.updatedNumberScheduled", type: "integer"),
                               .jsonPath("Available", ".status.numberAvailable", type: "integer")]),
        ResourceType(descriptor: .statefulSets, singular: "statefulset", shortNames: ["sts"], categories: ["all"], hasStatus: true, hasScale: true,
                     columns: [readyColumn(ready: "readyReplicas", desired: ["spec", "replicas"])]),
        ResourceType(descriptor: .replicaSets, singular: "replicaset", shortNames: ["rs"], categories: ["all"], hasStatus: true, hasScale: true,
                     columns: [.jsonPath("Desired", ".spec.replicas", type: "integer"), .jsonPath("Current", ".status.replicas", type: "integer"),
                               .jsonPath("Ready", ".status.readyReplicas", type: "integer")]),
        ResourceType(descriptor: .horizontalPodAutoscalers, singular: "horizontalpodautoscaler", shortNames: ["hpa"], categories: ["all"], hasStatus: true,
                     columns: [PrinterColumn(name: "Reference") { o in
                                   .string("\(o["spec", "scaleTargetRef", "kind"]?.stringValue ?? "")/\(o["spec", "scaleTargetRef", "name"]?.stringValue ?? "")")
                               },
                               .jsonPath("MinPods", ".spec.minReplicas", type: "integer"), .jsonPath("MaxPods", ".spec.maxReplicas", type: "integer"),
                               .jsonPath("Replicas", ".status.currentReplicas", type: "integer")]),
        ResourceType(descriptor: .podDisruptionBudgets, singular: "poddisruptionbudget", shortNames: ["pdb"], hasStatus: true,
                     columns: [.jsonPath("Min Available", ".spec.minAvailable"), .jsonPath("Max Unavailable", ".spec.maxUnavailable"),
                               .jsonPath("Allowed Disruptions", ".status.disruptionsAllowed", type: "integer")]),
        ResourceType(descriptor: .networkPolicies, singular: "networkpolicy", shortNames: ["netpol"],
                     columns: [PrinterColumn(name: "Pod-Selector") { o in
                                   let labels = (o["spec", "podSelector", "matchLabels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
                                   return .string(labels.isEmpty ? "<none>" : labels.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ","))
                               }]),
        ResourceType(descriptor: .roles, singular: "role"),
        ResourceType(descriptor: .roleBindings, singular: "rolebinding",
                     columns: [PrinterColumn(name: "Role") { o in
                                   .string("\(o["roleRef", "kind"]?.stringValue ?? "")/\(o["roleRef", "name"]?.stringValue ?? "")")
                               }]),
        ResourceType(descriptor: .clusterRoles, singular: "clusterrole"),
        ResourceType(descriptor: .clusterRoleBindings, singular: "clusterrolebinding",
                     columns: [PrinterColumn(name: "Role") { o in
                                   .string("\(o["roleRef", "kind"]?.stringValue ?? "")/\(o["roleRef", "name"]?.stringValue ?? "")")
                               }]),
        ResourceType(descriptor: .leases, singular: "lease",
                     columns: [.jsonPath("Holder", ".spec.holderIdentity")]),
        ResourceType(descriptor: selfSubjectAccessReviews, singular: "selfsubjectaccessreview", verbs: ["create"]),
        ResourceType(descriptor: subjectAccessReviews, singular: "subjectaccessreview", verbs: ["create"]),
        ResourceType(descriptor: .customResourceDefinitions, singular: "customresourcedefinition", shortNames: ["crd", "crds"],
                     categories: ["api-extensions"], hasStatus: true,
                     columns: [.jsonPath("Created At", ".metadata.creationTimestamp")]),
    ]

    static let selfSubjectAccessReviews = ResourceDescriptor(group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview",
                                                             plural: "selfsubjectaccessreviews", namespaced: false)
    static let subjectAccessReviews = ResourceDescriptor(group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview",
                                                         plural: "subjectaccessreviews", namespaced: false)

    private static func count(_ v: JSONValue?) -> Int { v?.objectValue?.count ?? 0 }

    private static func shortAccessMode(_ mode: String) -> String {
        switch mode {
        case "ReadWriteOnce": return "RWO"
        case "ReadOnlyMany": return "ROX"
        case "ReadWriteMany": return "RWX"
        case "ReadWriteOncePod": return "RWOP"
        default: return mode
        }
    }

    private static func readyColumn(ready: String, desired: [String]) -> PrinterColumn {
        PrinterColumn(name: "Ready") { o in
            .string("\(o["status", ready]?.intValue ?? 0)/\(o[path: desired]?.intValue ?? 0)")
        }
    }
}
