import FoundationEssentials
import IncidentCore

/// An incident as stored: what the API returns.
public struct Incident: Sendable, Equatable {
    /// The id (ascending with creation time).
    public var id: Int64
    /// A one-line summary.
    public var title: String
    /// Free text.
    public var description: String
    /// How bad it is.
    public var severity: Severity
    /// Where it is in its life.
    public var status: IncidentStatus
    /// Labels (from the alert, or given at creation).
    public var labels: [String: String]
    /// `api`, `alertmanager` or `events`.
    public var source: String
    /// The deduplication key of the alert or event that opened it (nil for incidents created by hand).
    public var dedupKey: String?
    /// How many times its alert fired (1 for the opening alert).
    public var alertCount: Int
    /// When it was opened.
    public var createdAt: Date
    /// When its alert fired last.
    public var lastSeenAt: Date
    /// When it was acknowledged, and by whom.
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    /// When it was resolved, and by whom.
    public var resolvedAt: Date?
    public var resolvedBy: String?
}

/// One line of an incident's timeline.
public struct TimelineEntry: Sendable, Equatable {
    /// The entry's id.
    public var id: Int64
    /// When it happened.
    public var at: Date
    /// What happened.
    public var kind: TimelineKind
    /// Who did it, when a person or system is named.
    public var actor: String?
    /// Details.
    public var message: String
}
