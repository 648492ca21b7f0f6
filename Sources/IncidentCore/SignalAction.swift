/// What an alert source asks for: open (or repeat) an incident, acknowledge it, or resolve it.
public enum SignalAction: String, Sendable {
    case trigger, acknowledge, resolve
}
