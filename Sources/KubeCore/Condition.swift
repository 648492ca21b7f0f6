import Foundation

/// A status condition shaped like `metav1.Condition`: one observation (`Ready`, `Progressing`, ...) about an object.
///
/// Use ``Swift/Array/setCondition(_:)`` to update a list of conditions: it keeps `lastTransitionTime`
/// unless the status flips, as controllers are expected to.
public struct Condition: Sendable, Equatable {
    /// `True`, `False` or `Unknown`.
    public enum Status: String, Sendable, CaseIterable {
        /// The condition holds.
        case `true` = "True"
        /// The condition does not hold.
        case `false` = "False"
        /// The controller cannot tell.
        case unknown = "Unknown"
    }

    /// The condition type in CamelCase, e.g. `Ready`.
    public var type: String
    /// Whether the condition holds.
    public var status: Status
    /// The `metadata.generation` the condition was computed from.
    public var observedGeneration: Int?
    /// When `status` last changed, at second precision.
    public var lastTransitionTime: Date
    /// A CamelCase reason, e.g. `AllComponentsReady`.
    public var reason: String
    /// A human-readable explanation.
    public var message: String

    /// Creates a condition; `lastTransitionTime` is truncated to whole seconds, as the API server stores it.
    public init(type: String, status: Status, observedGeneration: Int? = nil, lastTransitionTime: Date = Date(),
                reason: String, message: String = "") {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = Date(timeIntervalSince1970: lastTransitionTime.timeIntervalSince1970.rounded(.down))
        self.reason = reason
        self.message = message
    }

    /// The condition as a JSON object (`lastTransitionTime` in RFC 3339, UTC).
    public var json: JSONValue {
        var o: JSONValue = [
            "type": .string(type), "status": .string(status.rawValue),
            "lastTransitionTime": .string(Self.format(lastTransitionTime)),
            "reason": .string(reason), "message": .string(message),
        ]
        if let observedGeneration { o["observedGeneration"] = .int(observedGeneration) }
        return o
    }

    /// Reads a condition from JSON; throws ``ConditionDecodingError`` naming the missing or malformed field.
    public init(json: JSONValue) throws {
        guard let type = json["type"]?.stringValue, !type.isEmpty else {
            throw ConditionDecodingError(field: "type", problem: "missing or not a string")
        }
        guard let raw = json["status"]?.stringValue, let status = Status(rawValue: raw) else {
            throw ConditionDecodingError(field: "status", problem: "must be True, False or Unknown")
        }
        guard let time = json["lastTransitionTime"]?.stringValue, let date = Self.parse(time) else {
            throw ConditionDecodingError(field: "lastTransitionTime", problem: "must be an RFC 3339 time like 2024-05-01T12:00:00Z")
        }
        self.init(type: type, status: status, observedGeneration: json["observedGeneration"]?.intValue,
                  lastTransitionTime: date, reason: json["reason"]?.stringValue ?? "",
                  message: json["message"]?.stringValue ?? "")
    }

    /// `2024-05-01T12:00:00Z`.
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }

    /// Parses RFC 3339 with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return d }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A condition in JSON that cannot be read.
public struct ConditionDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault.
    public let field: String
    /// What is wrong with it.
    public let problem: String
    /// `condition.<field>: <problem>`.
    public var description: String { "condition.\(field): \(problem)" }
}

extension Array where Element == Condition {
    /// Adds or replaces the condition of the same type. `lastTransitionTime` is kept from the existing condition
    /// unless the status changes. Returns whether anything other than that time changed.
    @discardableResult
    public mutating func setCondition(_ condition: Condition) -> Bool {
        guard let index = firstIndex(where: { $0.type == condition.type }) else {
            append(condition)
            return true
        }
        var updated = condition
        if self[index].status == condition.status {
            updated.lastTransitionTime = self[index].lastTransitionTime
        }
        let changed = self[index] != updated
        self[index] = updated
        return changed
    }

    /// The condition of the given type, if present.
    public func condition(ofType type: String) -> Condition? { first { $0.type == type } }
}
