import Foundation
import IncidentPlatform
import KubeCore

/// Computes a platform's status once per reconcile from the desired children and what the informers hold.
/// Pure (the clock is a parameter), so conditions and counts are unit-tested.
///
/// Conditions keep their `lastTransitionTime` unless their status flips, so recomputing an unchanged world
/// gives an identical status and no write.
public struct PlatformStatusBuilder: Sendable {
    /// Reasons of the conditions the controller sets.
    public enum Reason {
        /// SpecValid=True.
        public static let valid = "Valid"
        /// SpecValid=False.
        public static let invalidSpec = "InvalidSpec"
        /// Ready=True.
        public static let allReady = "AllComponentsReady"
        /// Ready=False.
        public static let notReady = "ComponentsNotReady"
        /// Progressing=True.
        public static let rollingOut = "RollingOut"
        /// Progressing=False.
        public static let converged = "Converged"
        /// Degraded=False.
        public static let asExpected = "AsExpected"
        /// Degraded=True because a child could not be written.
        public static let applyFailed = "ApplyFailed"
    }

    /// The platform's `metadata.generation`.
    public var generation: Int?
    /// The time stamped on conditions that flip now.
    public var now: Date

    /// A builder for `generation` at `now`.
    public init(generation: Int?, now: Date = Date()) {
        self.generation = generation
        self.now = now
    }

    /// Per component, ready and desired pods of the desired workloads, read from `live` (projected objects,
    /// nil when not created yet). A component whose volume (a PVC with the same `app.kubernetes.io/name`) is not
    /// Bound counts as not ready.
    public static func components(desired: [JSONValue], live: (JSONValue) -> JSONValue?) -> [String: ComponentStatus] {
        var out: [String: ComponentStatus] = [:]
        var unbound: Set<String> = []
        for object in desired where object.kind == "PersistentVolumeClaim" {
            if live(object)?["status", "phase"]?.stringValue != "Bound" { unbound.insert(object.labels["app.kubernetes.io/name"] ?? "") }
        }
        for object in desired {
            guard let kind = object.kind, kind == "Deployment" || kind == "DaemonSet" else { continue }
            let component = object.labels["app.kubernetes.io/name"] ?? object.name ?? kind
            var status = workloadStatus(desired: object, live: live(object))
            if unbound.contains(component) {
                status = ComponentStatus(ready: 0, desired: status.desired, message: "waiting for the data volume to be bound")
            }
            if let previous = out[component] {
                status = ComponentStatus(ready: previous.ready + status.ready, desired: previous.desired + status.desired,
                                         message: [previous.message, status.message].filter { !$0.isEmpty }.joined(separator: "; "))
            }
            out[component] = status
        }
        return out
    }

    /// Ready and desired pods of one workload.
    static func workloadStatus(desired object: JSONValue, live: JSONValue?) -> ComponentStatus {
        let kind = object.kind ?? ""
        guard let live else {
            return ComponentStatus(ready: 0, desired: kind == "Deployment" ? (object["spec", "replicas"]?.intValue ?? 1) : 1,
                                   message: "\(kind) \(object.name ?? "") not created yet")
        }
        let stale = (live["status", "observedGeneration"]?.intValue ?? 0) < (live.generation ?? 0)
        if kind == "DaemonSet" {
            guard let want = live["status", "desiredNumberScheduled"]?.intValue, !stale else {
                return ComponentStatus(ready: 0, desired: 1, message: "DaemonSet \(live.name ?? "") not scheduled yet")
            }
            let ready = live["status", "numberReady"]?.intValue ?? 0
            return ComponentStatus(ready: ready, desired: want, message: ready >= want ? "" : "\(ready)/\(want) pods ready")
        }
        let want = live["spec", "replicas"]?.intValue ?? object["spec", "replicas"]?.intValue ?? 1
        let ready = stale ? 0 : (live["status", "readyReplicas"]?.intValue ?? 0)
        let message = ready >= want ? "" : (stale ? "rollout in progress" : "\(ready)/\(want) replicas ready")
        return ComponentStatus(ready: min(ready, want), desired: want, message: message)
    }

    /// The status of a valid platform: `components`, plus `problems` (refused changes or failed writes, each
    /// with a CamelCase reason) that make it Degraded.
    public func valid(previous: IncidentPlatformStatus, components: [String: ComponentStatus],
                      problems: [(reason: String, message: String)]) -> IncidentPlatformStatus {
        var status = previous
        status.observedGeneration = generation
        status.components = components
        let notReady = components.keys.sorted().compactMap { name -> String? in
            guard let c = components[name], !c.isReady else { return nil }
            return "\(name) \(c.ready)/\(c.desired)" + (c.message.isEmpty ? "" : " (\(c.message))")
        }
        let allReady = notReady.isEmpty
        set(&status, PlatformConditionType.specValid, .true, Reason.valid, "The spec is valid.")
        if problems.isEmpty {
            set(&status, PlatformConditionType.degraded, .false, Reason.asExpected, "")
        } else {
            set(&status, PlatformConditionType.degraded, .true, problems[0].reason, problems.map(\.message).joined(separator: "; "))
        }
        if allReady {
            set(&status, PlatformConditionType.ready, .true, Reason.allReady, "All \(components.count) components are ready.")
            set(&status, PlatformConditionType.progressing, .false, Reason.converged, "")
        } else {
            set(&status, PlatformConditionType.ready, .false, Reason.notReady, "Not ready: " + notReady.joined(separator: ", "))
            set(&status, PlatformConditionType.progressing, .true, Reason.rollingOut, "Waiting for: " + notReady.joined(separator: ", "))
        }
        status.phase = !problems.isEmpty ? .degraded : (allReady ? .ready : .progressing)
        return status
    }

    /// The status of a platform whose spec does not validate: SpecValid=False with every problem, phase
    /// Invalid; the other conditions and the component counts stay as they were.
    public func invalid(previous: IncidentPlatformStatus, errors: PlatformValidationErrors) -> IncidentPlatformStatus {
        var status = previous
        status.observedGeneration = generation
        status.phase = .invalid
        set(&status, PlatformConditionType.specValid, .false, Reason.invalidSpec, errors.messages.joined(separator: "; "))
        return status
    }

    private func set(_ status: inout IncidentPlatformStatus, _ type: String, _ value: Condition.Status, _ reason: String, _ message: String) {
        status.conditions.setCondition(Condition(type: type, status: value, observedGeneration: generation, lastTransitionTime: now,
                                                 reason: reason, message: message))
    }
}
