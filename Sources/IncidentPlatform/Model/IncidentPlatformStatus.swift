import KubeCore

/// `status` of an `IncidentPlatform`, written by the controller through the status subresource.
public struct IncidentPlatformStatus: Sendable, Equatable {
    /// The `metadata.generation` this status describes.
    public var observedGeneration: Int?
    /// The summary phase.
    public var phase: PlatformPhase
    /// `Ready`, `Progressing`, `Degraded`, `SpecValid` (see ``PlatformConditionType``).
    public var conditions: [Condition]
    /// Per component name (``PlatformComponent/componentName``): ready and desired pods.
    public var components: [String: ComponentStatus]

    /// Creates a status.
    public init(observedGeneration: Int? = nil, phase: PlatformPhase = .pending, conditions: [Condition] = [],
                components: [String: ComponentStatus] = [:]) {
        self.observedGeneration = observedGeneration
        self.phase = phase
        self.conditions = conditions
        self.components = components
    }

    /// `ready/total` components, e.g. `9/10`: the `Ready` printer column.
    public var ready: String {
        "\(components.values.filter(\.isReady).count)/\(components.count)"
    }

    /// The JSON written to `status` (includes ``ready``; conditions sorted by type, as stored).
    public var json: JSONValue {
        var o: JSONValue = [
            "phase": .string(phase.rawValue),
            "conditions": .array(conditions.sorted { $0.type < $1.type }.map(\.json)),
            "components": .object(components.mapValues(\.json)),
            "ready": .string(ready),
        ]
        if let observedGeneration { o["observedGeneration"] = .int(observedGeneration) }
        return o
    }

    /// Reads a status written by ``json``; an absent or empty status gives the initial one.
    /// Throws ``ConditionDecodingError`` for a malformed condition, and ``StatusDecodingError`` for an unknown phase.
    public init(json: JSONValue?) throws {
        guard let json, json.objectValue != nil else {
            self.init()
            return
        }
        let phase: PlatformPhase
        if let raw = json["phase"]?.stringValue {
            guard let p = PlatformPhase(rawValue: raw) else {
                throw StatusDecodingError(field: "status.phase", problem: "unknown phase \"\(raw)\"")
            }
            phase = p
        } else {
            phase = .pending
        }
        let conditions = try (json["conditions"]?.arrayValue ?? []).map(Condition.init(json:))
        var components: [String: ComponentStatus] = [:]
        for (name, value) in json["components"]?.objectValue ?? [:] {
            components[name] = ComponentStatus(ready: value["ready"]?.intValue ?? 0, desired: value["desired"]?.intValue ?? 0,
                                               message: value["message"]?.stringValue ?? "")
        }
        self.init(observedGeneration: json["observedGeneration"]?.intValue, phase: phase, conditions: conditions,
                  components: components)
    }
}

/// A status that cannot be read.
public struct StatusDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON path at fault.
    public let field: String
    /// What is wrong.
    public let problem: String
    /// `field: problem`.
    public var description: String { "\(field): \(problem)" }
}

/// The summary phase of a platform.
public enum PlatformPhase: String, Sendable, CaseIterable {
    /// Accepted, nothing created yet.
    case pending = "Pending"
    /// Children are being created or rolled out.
    case progressing = "Progressing"
    /// Every component is ready.
    case ready = "Ready"
    /// A component that was ready is not.
    case degraded = "Degraded"
    /// The spec does not validate; nothing is changed until it is fixed.
    case invalid = "Invalid"
}

/// The condition types the controller sets, and their reasons.
public enum PlatformConditionType {
    /// Every component is ready.
    public static let ready = "Ready"
    /// A rollout is in progress.
    public static let progressing = "Progressing"
    /// Something that should work does not.
    public static let degraded = "Degraded"
    /// The spec passed validation.
    public static let specValid = "SpecValid"
}

/// Pods of one component.
public struct ComponentStatus: Sendable, Equatable {
    /// Ready pods.
    public var ready: Int
    /// Desired pods.
    public var desired: Int
    /// What is going on, e.g. `2/3 replicas ready` or an error.
    public var message: String

    /// Creates a component status.
    public init(ready: Int, desired: Int, message: String = "") {
        self.ready = ready
        self.desired = desired
        self.message = message
    }

    /// Whether all desired pods are ready.
    public var isReady: Bool { ready >= desired }

    /// `{ready, desired, message}`.
    public var json: JSONValue { ["ready": .int(ready), "desired": .int(desired), "message": .string(message)] }
}
