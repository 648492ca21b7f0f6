/// The schema of the services' database, as migrations. Append new ones; never edit one that has shipped.
///
/// Deduplication lives in the schema: `incidents_open_dedup_key` is a partial unique index on the open
/// incident's key, so two replicas receiving the same alert at the same moment both run one `INSERT ... ON
/// CONFLICT` and exactly one incident exists; resolving the incident takes it out of the index, so the next
/// firing opens a new incident.
public enum SchemaMigrations {
    /// Every migration, in version order.
    public static let all: [Migration] = [
        Migration(version: 1, name: "incidents and their timeline", sql: """
            CREATE TABLE incidents (
                id              bigserial PRIMARY KEY,
                title           text NOT NULL,
                description     text NOT NULL DEFAULT '',
                severity        text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
                status          text NOT NULL DEFAULT 'triggered'
                                CHECK (status IN ('triggered', 'acknowledged', 'resolved')),
                labels          jsonb NOT NULL DEFAULT '{}'::jsonb,
                source          text NOT NULL,
                dedup_key       text,
                alert_count     integer NOT NULL DEFAULT 1,
                created_at      timestamptz NOT NULL DEFAULT now(),
                last_seen_at    timestamptz NOT NULL DEFAULT now(),
                acknowledged_at timestamptz,
                acknowledged_by text,
                resolved_at     timestamptz,
                resolved_by     text,
                CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
            );
            CREATE UNIQUE INDEX incidents_open_dedup_key ON incidents (dedup_key)
                WHERE status <> 'resolved' AND dedup_key IS NOT NULL;
            CREATE INDEX incidents_status_id ON incidents (status, id DESC);
            CREATE INDEX incidents_severity_id ON incidents (severity, id DESC);

            CREATE TABLE incident_events (
                id          bigserial PRIMARY KEY,
                incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                at          timestamptz NOT NULL DEFAULT now(),
                kind        text NOT NULL,
                actor       text,
                message     text NOT NULL DEFAULT ''
            );
            CREATE INDEX incident_events_incident ON incident_events (incident_id, id);
            """),
    ]

    /// The newest version this binary knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
