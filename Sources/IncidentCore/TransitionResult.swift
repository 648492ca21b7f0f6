/// What applying an ``IncidentTransition`` does (see ``IncidentStatus/applying(_:)``).
public enum TransitionResult: Sendable, Equatable {
    /// The incident moves to this status.
    case changed(IncidentStatus)
    /// The incident is already there: nothing to write (the request still succeeds).
    case unchanged
    /// The transition is not allowed from the current status; the text says why (an HTTP 409).
    case conflict(String)
}
