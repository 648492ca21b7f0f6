/// The kinds of entries in an incident's timeline, as stored (`alert_repeated`, `alert_resolved` in snake case).
public enum TimelineKind: String, Sendable, Codable, CaseIterable {
    /// The incident was opened (by a person or by an alert).
    case created
    /// An alert with the same dedup key fired again while the incident was open.
    case alertRepeated = "alert_repeated"
    /// Someone acknowledged the incident.
    case acknowledged
    /// Someone added a note.
    case note
    /// Someone (or an alert source's resolve) resolved the incident.
    case resolved
    /// The alert behind the incident resolved.
    case alertResolved = "alert_resolved"
}
