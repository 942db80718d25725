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
        new(5, "DAQ spectra: runs, latest histograms, snapshots, references", """
            CREATE TABLE spectra_runs (
                daq_id TEXT NOT NULL,
                run INTEGER NOT NULL,
                run_started_at TEXT NOT NULL,
                last_sent_at TEXT NOT NULL,
                seq INTEGER NOT NULL,
                triggers INTEGER NOT NULL,
                livetime_s REAL NOT NULL,
                pot REAL NOT NULL,
                simulated INTEGER NOT NULL,
                PRIMARY KEY (daq_id, run)
            );
            CREATE TABLE spectra_latest (
                daq_id TEXT NOT NULL,
                run INTEGER NOT NULL,
                key TEXT NOT NULL,
                kind TEXT NOT NULL,
                sub_detector INTEGER,
                window TEXT,
                pmt TEXT,
                unit TEXT NOT NULL,
                edges BLOB NOT NULL,
                counts BLOB NOT NULL,
                PRIMARY KEY (daq_id, run, key)
            );
            CREATE TABLE spectra_snapshots (
                daq_id TEXT NOT NULL,
                run INTEGER NOT NULL,
                key TEXT NOT NULL,
                at TEXT NOT NULL,
                seq INTEGER NOT NULL,
                triggers INTEGER NOT NULL,
                livetime_s REAL NOT NULL,
                pot REAL NOT NULL,
                counts BLOB NOT NULL,
                PRIMARY KEY (daq_id, run, key, at)
            );
            CREATE INDEX ix_spectra_snapshots_at ON spectra_snapshots (at);
            CREATE TABLE spectra_references (
                daq_id TEXT NOT NULL,
                name TEXT NOT NULL,
                key TEXT NOT NULL,
                run INTEGER NOT NULL,
                saved_at TEXT NOT NULL,
                saved_by TEXT NOT NULL,
                triggers INTEGER NOT NULL,
                livetime_s REAL NOT NULL,
                pot REAL NOT NULL,
                edges BLOB NOT NULL,
                counts BLOB NOT NULL,
                PRIMARY KEY (daq_id, name, key)
            );
            """),
        new(6, "accounts, API tokens and the audit log", """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                user_name TEXT NOT NULL,
                normalized_user_name TEXT NOT NULL UNIQUE,
                password_hash TEXT,
                security_stamp TEXT NOT NULL,
                concurrency_stamp TEXT NOT NULL,
                lockout_enabled INTEGER NOT NULL DEFAULT 1,
                lockout_end TEXT,
                access_failed_count INTEGER NOT NULL DEFAULT 0,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL
            );
            CREATE TABLE user_roles (
                user_id TEXT NOT NULL REFERENCES users (id),
                role TEXT NOT NULL CHECK (role IN ('viewer', 'shifter', 'expert', 'admin')),
                PRIMARY KEY (user_id, role)
            );
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users (id),
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                revoked_at TEXT
            );
            CREATE INDEX ix_api_tokens_user ON api_tokens (user_id);
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                user TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                old_value TEXT,
                new_value TEXT,
                result TEXT,
                detail TEXT
            );
            CREATE INDEX ix_audit_log_at ON audit_log (at);
            CREATE INDEX ix_audit_log_user ON audit_log (user, at);
            CREATE INDEX ix_audit_log_action ON audit_log (action, at);
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """),
        Logbook.LogbookSchema.Migration,
        new(8, "control commands", """
            CREATE TABLE control_commands (
                command_id TEXT PRIMARY KEY,
                agent_id TEXT NOT NULL,
                pmt TEXT NOT NULL,
                old_volts REAL,
                new_volts REAL NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'accepted', 'refused', 'failed', 'unknown')),
                reason TEXT,
                user TEXT NOT NULL,
                requested_at TEXT NOT NULL,
                completed_at TEXT
            );
            CREATE INDEX ix_control_commands_requested ON control_commands (requested_at);
            """),
        new(9, "ingest sequence high-water marks", """
            CREATE TABLE ingest_sequences (
                agent_id TEXT PRIMARY KEY,
                seq INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            );
            """),
        new(10, "SPE gain references", """
            CREATE TABLE spe_gain_references (
                daq_id TEXT NOT NULL,
                pmt TEXT NOT NULL,
                gain_pc REAL NOT NULL CHECK (gain_pc > 0),
                taken_at TEXT NOT NULL,
                run INTEGER NOT NULL,
                taken_by TEXT NOT NULL,
                PRIMARY KEY (daq_id, pmt)
            );
            """),
    ];

    /// <summary>The version a database has once every migration of <see cref="All"/> is applied.</summary>
    public static int LatestVersion => All[^1].Version;
}
