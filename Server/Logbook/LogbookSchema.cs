using Clovers.Monitor.Server.State;

namespace Clovers.Monitor.Server.Logbook;

/// <summary>
/// Migration 7 of <c>state.db</c>: logbook entries, their tags (a table, so a tag filter uses an
/// index) and the channel history attached to them, stored as written so that it outlives the
/// raw readings' retention.
/// </summary>
public static class LogbookSchema
{
    public static Migration Migration { get; } = new(7, "logbook", """
        CREATE TABLE logbook_entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            markdown TEXT NOT NULL
        );
        CREATE INDEX ix_logbook_entries_at ON logbook_entries (at);
        CREATE INDEX ix_logbook_entries_author ON logbook_entries (author, at);
        CREATE TABLE logbook_tags (
            entry_id INTEGER NOT NULL REFERENCES logbook_entries (id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (entry_id, tag)
        );
        CREATE INDEX ix_logbook_tags_tag ON logbook_tags (tag, entry_id);
        CREATE TABLE logbook_snapshots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            entry_id INTEGER NOT NULL REFERENCES logbook_entries (id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            unit TEXT NOT NULL,
            from_at TEXT NOT NULL,
            to_at TEXT NOT NULL,
            bucket_seconds REAL NOT NULL,
            buckets TEXT NOT NULL
        );
        CREATE INDEX ix_logbook_snapshots_entry ON logbook_snapshots (entry_id);
        """);
}
