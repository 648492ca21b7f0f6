/// One alert or event from any source, normalized: what the store turns into an incident.
///
/// The store keys incidents by `(source, dedupKey)`: a `trigger` for a key with an open incident repeats it,
/// `acknowledge` and `resolve` act on it.
public struct AlertSignal: Sendable, Equatable {
    /// "alertmanager" or "events" (PagerDuty Events v2).
    public var source: String
    /// The key that ties repeated signals to one incident.
    public var dedupKey: String
    /// Open (or repeat), acknowledge, or resolve.
    public var action: SignalAction
    /// The incident title, at most 500 characters.
    public var title: String
    /// The incident severity.
    public var severity: Severity
    /// The incident description, at most 65536 characters.
    public var description: String
    /// The alert's labels.
    public var labels: [String: String]

    /// A signal from its parts (no checks: the parsers check what they read).
    public init(source: String, dedupKey: String, action: SignalAction, title: String, severity: Severity,
                description: String, labels: [String: String]) {
        self.source = source
        self.dedupKey = dedupKey
        self.action = action
        self.title = title
        self.severity = severity
        self.description = description
        self.labels = labels
    }
}
