import KubeCore

/// The immutability rules the API server enforces on update (422 Invalid naming the field), for the kinds an
/// operator is most likely to trip over: PVC specs, StatefulSet specs, workload selectors, Service cluster IPs
/// and immutable ConfigMaps and Secrets.
enum UpdateValidation {
    static func check(old: JSONValue, new: JSONValue, type: ResourceType) throws {
        let d = type.descriptor
        var causes: [(field: String, message: String)] = []
        switch d {
        case .persistentVolumeClaims:
            var a = old["spec"] ?? [:], b = new["spec"] ?? [:]
            for path in [["resources", "requests"], ["volumeAttributesClassName"], ["volumeName"]] {
                a[path: path] = nil
                b[path: path] = nil
            }
            if a != b {
                causes.append(("spec", "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
            }
            if let before = quantity(old["spec", "resources", "requests", "storage"]), let after = quantity(new["spec", "resources", "requests", "storage"]),
               after < before {
                causes.append(("spec.resources.requests.storage", "Forbidden: field can not be less than previous value"))
            }
        case .statefulSets:
            var a = old["spec"] ?? [:], b = new["spec"] ?? [:]
            for key in ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"] {
                a[key] = nil
                b[key] = nil
            }
            if a != b {
                causes.append(("spec", "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"))
            }
        case .deployments, .daemonSets, .replicaSets:
            if old["spec", "selector"] != new["spec", "selector"] {
                causes.append(("spec.selector", "Invalid value: \(new["spec", "selector"]?.jsonString() ?? "null"): field is immutable"))
            }
        case .services:
            if let ip = old["spec", "clusterIP"]?.stringValue, !ip.isEmpty, let now = new["spec", "clusterIP"]?.stringValue, now != ip {
                causes.append(("spec.clusterIP", "Invalid value: \"\(now)\": field is immutable"))
            }
        case .configMaps, .secrets:
            if old["immutable"]?.boolValue == true {
                for field in ["data", "binaryData"] where old[field] != new[field] {
                    causes.append((field, "Forbidden: field is immutable when `immutable` is set"))
                }
                if new["immutable"]?.boolValue != true { causes.append(("immutable", "Forbidden: field is immutable when `immutable` is set")) }
            }
        default: break
        }
        if !causes.isEmpty {
            throw APIStatus.invalid(kind: d.kind, name: new.name ?? "", group: d.group, causes: causes)
        }
    }

    private static func quantity(_ v: JSONValue?) -> Quantity? {
        guard let v else { return nil }
        if let s = v.stringValue { return try? Quantity(parsing: s) }
        return v.intValue.map { Quantity(units: $0) }
    }
}
