/// A change that a person or an alert source asks for.
public enum IncidentTransition: String, Sendable {
    case acknowledge, resolve
}
