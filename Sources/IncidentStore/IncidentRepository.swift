import FoundationEssentials
import IncidentCore
import PostgresClient

/// The incidents in PostgreSQL. Every method is one transaction; the rules (transitions, what a signal does)
/// come from `IncidentCore`, this type only reads and writes rows.
public struct IncidentRepository: Sendable {
    /// What a transition request came to.
    public enum TransitionOutcome: Sendable, Equatable {
        /// No incident has that id.
        case notFound
        /// The transition is impossible from the incident's state (HTTP 409).
        case conflict(String)
        /// Done; `changed` is false when the incident was already in the target state.
        case done(Incident, changed: Bool)
    }

    /// What one alert signal did.
    public enum SignalOutcome: Sendable, Equatable {
        /// It opened incident `id`.
        case opened(Int64)
        /// It was added to the open incident `id`.
        case repeated(Int64)
        /// It acknowledged or resolved the open incident `id`.
        case transitioned(Int64, IncidentStatus)
        /// Nothing to do (no open incident for a resolve or acknowledge, or it was already in that state).
        case ignored
    }

    private let pool: PostgresPool

    /// A repository over `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    static let columns = """
        id, title, description, severity, status, labels::text AS labels, source, dedup_key, alert_count,
        created_at, last_seen_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by
        """

    // MARK: - Incidents by hand

    /// Opens an incident from the API.
    public func create(_ new: NewIncident, actor: String? = nil) throws -> Incident {
        try pool.withTransaction { db in
            let row = try db.query("""
                INSERT INTO incidents (title, description, severity, labels, source)
                VALUES ($1, $2, $3, $4::jsonb, 'api') RETURNING \(Self.columns)
                """, [new.title, new.description, new.severity.rawValue, Self.json(new.labels)]).rows[0]
            let incident = try Self.incident(row)
            try Self.record(db, incident.id, .created, actor: actor, message: "incident opened: \(new.title)")
            return incident
        }
    }

    /// A page of incidents, newest first, and the cursor of the next page (nil on the last page).
    public func list(_ query: IncidentListQuery) throws -> (incidents: [Incident], nextCursor: Int64?) {
        try pool.withConnection { db in
            let rows = try db.query("""
                SELECT \(Self.columns) FROM incidents
                WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR severity = $2)
                  AND ($3::bigint IS NULL OR id < $3)
                ORDER BY id DESC LIMIT $4
                """, [query.status?.rawValue, query.severity?.rawValue, query.cursor, query.limit + 1]).rows
            var incidents = try rows.map(Self.incident)
            var next: Int64?
            if incidents.count > query.limit {
                incidents.removeLast()
                next = incidents.last?.id
            }
            return (incidents, next)
        }
    }

    /// One incident with its timeline (oldest entry first), or nil.
    public func get(_ id: Int64) throws -> (incident: Incident, timeline: [TimelineEntry])? {
        try pool.withConnection { db in
            guard let row = try db.query("SELECT \(Self.columns) FROM incidents WHERE id = $1", [id]).rows.first else { return nil }
            let timeline = try db.query("""
                SELECT id, at, kind, actor, message FROM incident_events WHERE incident_id = $1 ORDER BY id
                """, [id]).rows.map(Self.timelineEntry)
            return (try Self.incident(row), timeline)
        }
    }

    /// Acknowledges or resolves incident `id`; a `note` is added to the timeline with the transition.
    public func transition(_ id: Int64, _ transition: IncidentTransition, by actor: String?, note: String?) throws -> TransitionOutcome {
        try pool.withTransaction { db in
            guard let row = try db.query("SELECT \(Self.columns) FROM incidents WHERE id = $1 FOR UPDATE", [id]).rows.first else {
                return .notFound
            }
            let incident = try Self.incident(row)
            switch incident.status.applying(transition) {
            case .conflict(let reason):
                return .conflict(reason)
            case .unchanged:
                return .done(incident, changed: false)
            case .changed:
                let updated = try Self.apply(db, incidentID: id, transition, actor: actor, note: note)
                return .done(updated, changed: true)
            }
        }
    }

    /// Adds a note to incident `id`'s timeline; nil when there is no such incident.
    public func addNote(_ id: Int64, by actor: String, text: String) throws -> TimelineEntry? {
        try pool.withTransaction { db in
            guard try !db.query("SELECT 1 FROM incidents WHERE id = $1", [id]).rows.isEmpty else { return nil }
            return try Self.record(db, id, .note, actor: actor, message: text)
        }
    }

    // MARK: - Alerts and events

    /// Applies alert signals in one transaction (all or nothing). Signals are applied ordered by key, so that
    /// concurrent requests lock open incidents in the same order and cannot deadlock; the order of signals
    /// with the same key is kept.
    public func ingest(_ signals: [AlertSignal]) throws -> [SignalOutcome] {
        let order = signals.indices.sorted { (signals[$0].dedupKey, $0) < (signals[$1].dedupKey, $1) }
        return try pool.withTransaction { db in
            var outcomes = Array(repeating: SignalOutcome.ignored, count: signals.count)
            for index in order {
                outcomes[index] = try Self.apply(db, signals[index])
            }
            return outcomes
        }
    }

    private static func apply(_ db: PostgresConnection, _ signal: AlertSignal) throws -> SignalOutcome {
        switch signal.action {
        case .trigger:
            // One statement, race-free: a concurrent identical alert waits on the row and then takes the update path.
            let row = try db.query("""
                INSERT INTO incidents (title, description, severity, labels, source, dedup_key)
                VALUES ($1, $2, $3, $4::jsonb, $5, $6)
                ON CONFLICT (dedup_key) WHERE status <> 'resolved' AND dedup_key IS NOT NULL
                DO UPDATE SET alert_count = incidents.alert_count + 1, last_seen_at = now()
                RETURNING id, (xmax = 0) AS inserted, alert_count
                """, [signal.title, signal.description, signal.severity.rawValue, json(signal.labels), signal.source,
                      signal.dedupKey]).rows[0]
            let id = try row.decode("id", as: Int64.self)
            if try row.decode("inserted", as: Bool.self) {
                try record(db, id, .created, actor: signal.source, message: "opened by \(signal.source) alert \(signal.dedupKey): \(signal.title)")
                return .opened(id)
            }
            let count = try row.decode("alert_count", as: Int.self)
            // The first repeat gets a timeline entry; later ones only count (`alert_count`, `last_seen_at`), so a
            // storm of one alert costs no timeline writes and does not bury the acknowledgements and notes.
            if count == 2 {
                try record(db, id, .alertRepeated, actor: signal.source,
                           message: "alert \(signal.dedupKey) fired again (alert_count and last_seen_at count the repeats)")
            }
            return .repeated(id)
        case .acknowledge, .resolve:
            let transition: IncidentTransition = signal.action == .acknowledge ? .acknowledge : .resolve
            guard let row = try db.query("""
                SELECT id, status FROM incidents WHERE dedup_key = $1 AND status <> 'resolved' FOR UPDATE
                """, [signal.dedupKey]).rows.first else { return .ignored }
            let id = try row.decode("id", as: Int64.self)
            let status = try IncidentStatus(rawValue: row.decode("status", as: String.self)) ?? .triggered
            guard case .changed(let next) = status.applying(transition) else { return .ignored }
            let note = transition == .resolve ? "alert \(signal.dedupKey) resolved" : nil
            _ = try apply(db, incidentID: id, transition, actor: signal.source, note: note)
            return .transitioned(id, next)
        }
    }

    // MARK: - Rows

    /// Writes an acknowledgement or resolution the rules allowed, with its timeline entry.
    private static func apply(_ db: PostgresConnection, incidentID id: Int64, _ transition: IncidentTransition,
                              actor: String?, note: String?) throws -> Incident {
        let sql = switch transition {
        case .acknowledge:
            "UPDATE incidents SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1"
        case .resolve:
            "UPDATE incidents SET status = 'resolved', resolved_at = now(), resolved_by = $2 WHERE id = $1"
        }
        let row = try db.query(sql + " RETURNING \(columns)", [id, actor]).rows[0]
        var message = transition == .resolve ? "resolved" : "acknowledged"
        if let actor { message += " by \(actor)" }
        if let note, !note.isEmpty { message += ": \(note)" }
        try record(db, id, transition == .resolve ? .resolved : .acknowledged, actor: actor, message: message)
        return try incident(row)
    }

    @discardableResult
    private static func record(_ db: PostgresConnection, _ id: Int64, _ kind: TimelineKind, actor: String?, message: String) throws -> TimelineEntry {
        let row = try db.query("""
            INSERT INTO incident_events (incident_id, kind, actor, message) VALUES ($1, $2, $3, $4)
            RETURNING id, at, kind, actor, message
            """, [id, kind.rawValue, actor, message]).rows[0]
        return try timelineEntry(row)
    }

    static func incident(_ row: PostgresRow) throws -> Incident {
        Incident(
            id: try row.decode("id"),
            title: try row.decode("title"),
            description: try row.decode("description"),
            severity: Severity(rawValue: try row.decode("severity", as: String.self)) ?? .medium,
            status: IncidentStatus(rawValue: try row.decode("status", as: String.self)) ?? .triggered,
            labels: labels(try row.decode("labels", as: String.self)),
            source: try row.decode("source"),
            dedupKey: try row.decode("dedup_key"),
            alertCount: try row.decode("alert_count"),
            createdAt: try row.decode("created_at"),
            lastSeenAt: try row.decode("last_seen_at"),
            acknowledgedAt: try row.decode("acknowledged_at"),
            acknowledgedBy: try row.decode("acknowledged_by"),
            resolvedAt: try row.decode("resolved_at"),
            resolvedBy: try row.decode("resolved_by"))
    }

    static func timelineEntry(_ row: PostgresRow) throws -> TimelineEntry {
        TimelineEntry(
            id: try row.decode("id"), at: try row.decode("at"),
            kind: TimelineKind(rawValue: try row.decode("kind", as: String.self)) ?? .note,
            actor: try row.decode("actor"), message: try row.decode("message"))
    }

    /// Labels as JSON text for a `jsonb` parameter.
    static func json(_ labels: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(labels) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Labels from the `jsonb` column's text.
    static func labels(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
