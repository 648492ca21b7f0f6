import KubeCore

/// The checks that span several fields of a decoded spec (the schema checks each field alone). A check is
/// skipped when one of its fields already has a reported problem, so a typo never causes a second, misleading error.
struct PlatformSpecValidator {
    let spec: IncidentPlatformSpec
    /// Problems already reported by the schema.
    let reported: [PlatformValidationError]
    /// The defaulted spec as JSON (for checks on what the typed spec cannot hold, such as two receiver targets).
    var json: JSONValue? = nil

    func validate(into errors: inout [PlatformValidationError]) {
        for service in PlatformService.allCases {
            let s = spec.services[service]
            let path = "spec.services.\(service.specKey)"
            let a = s.autoscaling
            if clean("\(path).autoscaling"), a.minReplicas > a.maxReplicas {
                errors.append(PlatformValidationError(path: "\(path).autoscaling",
                    message: "minReplicas (\(a.minReplicas)) must be <= maxReplicas (\(a.maxReplicas))"))
            }
            checkResources(s.resources, at: "\(path).resources", into: &errors)
        }
        checkResources(spec.database.resources, at: "spec.database.resources", into: &errors)
        let m = spec.monitoring
        checkResources(m.prometheus.resources, at: "spec.monitoring.prometheus.resources", into: &errors)
        checkResources(m.grafana.resources, at: "spec.monitoring.grafana.resources", into: &errors)
        checkResources(m.loki.resources, at: "spec.monitoring.loki.resources", into: &errors)
        checkResources(m.promtail.resources, at: "spec.monitoring.promtail.resources", into: &errors)
        checkResources(m.nodeExporter.resources, at: "spec.monitoring.nodeExporter.resources", into: &errors)

        if clean("spec.monitoring.prometheus"), m.prometheus.retention <= m.prometheus.scrapeInterval {
            errors.append(PlatformValidationError(path: "spec.monitoring.prometheus",
                message: "retention (\(m.prometheus.retention)) must be longer than scrapeInterval (\(m.prometheus.scrapeInterval))"))
        }
        if clean("spec.monitoring.promtail"), clean("spec.monitoring.loki"), m.promtail.enabled, !m.loki.enabled {
            errors.append(PlatformValidationError(path: "spec.monitoring.promtail",
                message: "enabled requires spec.monitoring.loki.enabled (promtail ships logs to the platform's Loki); enable loki or set promtail.enabled to false"))
        }
        checkSLOs(into: &errors)
        checkResources(spec.alerting.alertmanager.resources, at: "spec.alerting.alertmanager.resources", into: &errors)
        checkReceivers(into: &errors)
    }

    private func checkReceivers(into errors: inout [PlatformValidationError]) {
        let targets = ["slack", "email", "webhook", "pagerduty"]
        for (index, item) in (json?["alerting", "receivers"]?.arrayValue ?? []).enumerated() {
            let path = "spec.alerting.receivers[\(index)]"
            guard clean(path) else { continue }
            let set = targets.filter { item[$0] != nil && item[$0]?.isNull == false }
            if set.count != 1 {
                errors.append(PlatformValidationError(path: path,
                    message: "must set exactly one of \(targets.joined(separator: ", ")), got \(set.isEmpty ? "none" : set.joined(separator: " and "))"))
            }
            if let name = item["name"]?.stringValue, AlertmanagerConfig.reservedReceivers.contains(name) {
                errors.append(PlatformValidationError(path: "\(path).name",
                    message: "\"\(name)\" is the platform's own receiver; choose another name"))
            }
        }
    }

    private func checkSLOs(into errors: inout [PlatformValidationError]) {
        for service in PlatformService.allCases {
            let path = "spec.slo.\(service.specKey).latency.thresholdSeconds"
            let threshold = spec.slo[service].latency.thresholdSeconds
            guard clean(path), !PlatformDefaults.latencyBuckets.contains(threshold) else { continue }
            errors.append(PlatformValidationError(path: path,
                message: "must be one of the bucket bounds of http_request_duration_seconds (\(PlatformDefaults.latencyBuckets.map(SchemaNode.number).joined(separator: ", "))), got \(SchemaNode.number(threshold)); the latency SLI counts the requests in the bucket le=\"<threshold>\""))
        }
    }

    private func checkResources(_ r: ResourceRequirements, at path: String, into errors: inout [PlatformValidationError]) {
        guard clean(path) else { return }
        let pairs: [(String, Quantity, Quantity)] = [("cpu", r.requests.cpu, r.limits.cpu), ("memory", r.requests.memory, r.limits.memory)]
        for (name, request, limit) in pairs where request > limit {
            errors.append(PlatformValidationError(path: path,
                message: "requests.\(name) (\(request)) must be <= limits.\(name) (\(limit)); raise the limit or lower the request"))
        }
    }

    /// Whether no problem was reported at or below `path`.
    private func clean(_ path: String) -> Bool {
        !reported.contains { $0.path == path || $0.path.hasPrefix(path + ".") || $0.path.hasPrefix(path + "[") }
    }
}
