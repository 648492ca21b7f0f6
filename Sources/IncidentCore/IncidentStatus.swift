/// Where an incident is in its life: triggered, then (optionally) acknowledged, then resolved.
public enum IncidentStatus: String, Sendable, Codable, CaseIterable {
    case triggered, acknowledged, resolved

    /// Whether the incident still needs someone: triggered or acknowledged.
    public var isOpen: Bool { self != .resolved }

    /// The three values as they appear in messages.
    static let allowedValues = "triggered, acknowledged or resolved"
}

extension IncidentStatus {
    /// The outcome of applying `transition` to an incident in this status.
    ///
    /// | Status         | acknowledge               | resolve              |
    /// |----------------|---------------------------|----------------------|
    /// | `triggered`    | `changed(.acknowledged)`  | `changed(.resolved)` |
    /// | `acknowledged` | `unchanged`               | `changed(.resolved)` |
    /// | `resolved`     | `conflict(...)`           | `unchanged`          |
    ///
    /// Repeating a transition is not an error (`unchanged`), so clients and alert sources can retry safely.
    public func applying(_ transition: IncidentTransition) -> TransitionResult {
        switch (self, transition) {
        case (.triggered, .acknowledge): .changed(.acknowledged)
        case (.acknowledged, .acknowledge): .unchanged
        case (.resolved, .acknowledge): .conflict("incident is resolved: it can no longer be acknowledged")
        case (.triggered, .resolve), (.acknowledged, .resolve): .changed(.resolved)
        case (.resolved, .resolve): .unchanged
        }
    }
}
