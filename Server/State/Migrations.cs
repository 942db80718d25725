namespace Clovers.Monitor.Server.State;

/// <summary>
/// Every migration of <c>state.db</c>, oldest first. Features append here; nothing released is
/// ever changed or removed, because databases in the field already recorded it as applied.
/// </summary>
public static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "bookkeeping and server events", """
            CREATE TABLE schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            CREATE TABLE server_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT
            );
            CREATE INDEX ix_server_events_at ON server_events (at);
            """),
        new(2, "agents seen", """
            CREATE TABLE agents_seen (
                agent_id TEXT PRIMARY KEY,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                last_version TEXT,
                last_host TEXT
            );
            """),
        new(3, "alarm rules, states and history", """
            CREATE TABLE alarm_rules (
                id TEXT PRIMARY KEY,
                json TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            );
            CREATE TABLE alarm_states (
                rule_id TEXT PRIMARY KEY,
                json TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE TABLE alarm_history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                alarm_id TEXT NOT NULL,
                rule_id TEXT NOT NULL,
                rule_name TEXT NOT NULL,
                severity TEXT NOT NULL,
                from_state TEXT NOT NULL,
                to_state TEXT NOT NULL,
                at TEXT NOT NULL,
                user TEXT NOT NULL,
                value REAL,
                comment TEXT
            );
            CREATE INDEX ix_alarm_history_at ON alarm_history (at);
            CREATE INDEX ix_alarm_history_rule_id ON alarm_history (rule_id, at);
            """),
        new(4, "notification outbox", """
            CREATE TABLE notification_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at TEXT NOT NULL,
                channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
                target TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'silenced')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT,
                last_error TEXT,
                sent_at TEXT,
                group_key TEXT,
                alarm_ids TEXT NOT NULL
            );
            CREATE INDEX ix_notification_outbox_due ON notification_outbox (status, next_attempt_at);
            CREATE INDEX ix_notification_outbox_created ON notification_outbox (created_at);
            """),

        // 5 to 8 are reserved for features merged separately (spectra, auth, logbook, control).
        new(9, "ingest sequence high-water marks", """
            CREATE TABLE ingest_sequences (
                agent_id TEXT PRIMARY KEY,
                seq INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            );
            """),
    ];

    /// <summary>The version a database has once every migration of <see cref="All"/> is applied.</summary>
    public static int LatestVersion => All[^1].Version;
}
