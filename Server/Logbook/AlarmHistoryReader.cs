using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Logbook;

/// <summary>
/// Read-only queries of <c>alarm_history</c> in <c>state.db</c> for the logbook and the shift
/// handover: operators' comments, and the transitions of a shift. It reads the table the alarm
/// history writer fills and never talks to the alarm engine.
/// </summary>
public sealed class AlarmHistoryReader(StateDatabase database)
{
    /// <summary>The user the alarm engine records for its own transitions.</summary>
    public const string SystemUser = "system";

    private const string Columns = """id, alarm_id, rule_id, rule_name, severity, from_state, to_state, at, "user", value, comment""";
    private const string SelectEntries = $"SELECT {Columns} FROM alarm_history";

    /// <summary>
    /// Transitions made by a person with a comment (acknowledge, shelve, unshelve, out of service),
    /// newest first, filtered like the logbook; at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<AlarmHistoryEntry>> OperatorCommentsAsync(
        DateTimeOffset? from, DateTimeOffset? to, string? user, string? text, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        new SqlFilter()
            .Where(SystemUser, system => $"\"user\" <> {system}")
            .Always("comment IS NOT NULL AND comment <> ''")
            .Within("at", from, to)
            .EqualTo("\"user\"", user)
            .ContainsIgnoringCase(text, "comment", "rule_name")
            .PrepareSelect(command, SelectEntries, "ORDER BY at DESC, id DESC", new SqlPage(limit));
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Every transition in [from, to), oldest first.</summary>
    public async Task<IReadOnlyList<AlarmHistoryEntry>> TransitionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        new SqlFilter().Within("at", from, to).PrepareSelect(command, SelectEntries, "ORDER BY at, id");
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>The last transition before <paramref name="to"/> of every rule whose alarm was then not back to normal.</summary>
    public async Task<IReadOnlyList<AlarmHistoryEntry>> OpenAtAsync(DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM alarm_history
            WHERE id IN (
                SELECT (SELECT h.id FROM alarm_history h WHERE h.rule_id = r.rule_id AND h.at < $to ORDER BY h.at DESC, h.id DESC LIMIT 1)
                FROM (SELECT DISTINCT rule_id FROM alarm_history WHERE at < $to) r)
            AND to_state <> $normal
            ORDER BY at, id;
            """;
        command.Parameters.AddWithValue("$to", StateTimestamps.ToText(to));
        command.Parameters.AddWithValue("$normal", AlarmState.Normal.ToString());
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>True when a person acknowledged the alarm in this transition.</summary>
    public static bool IsAcknowledgement(AlarmHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return !string.Equals(entry.User, SystemUser, StringComparison.Ordinal)
            && entry.From is AlarmState.ActiveUnacknowledged or AlarmState.ReturnedUnacknowledged
            && entry.To is AlarmState.ActiveAcknowledged or AlarmState.Normal;
    }

    /// <summary>True when the alarm became active in this transition (not a re-annunciation of one already active).</summary>
    public static bool IsRaise(AlarmHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.From == AlarmState.Normal && entry.To is AlarmState.ActiveUnacknowledged or AlarmState.ActiveAcknowledged;
    }

    private static async Task<IReadOnlyList<AlarmHistoryEntry>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AlarmHistoryEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!Enum.TryParse<AlarmSeverity>(reader.GetString(4), out var severity)
                || !Enum.TryParse<AlarmState>(reader.GetString(5), out var fromState)
                || !Enum.TryParse<AlarmState>(reader.GetString(6), out var toState))
            {
                continue; // a row of a newer server: the logbook shows what it understands
            }

            entries.Add(new AlarmHistoryEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                severity,
                fromState,
                toState,
                StateTimestamps.Parse(reader.GetString(7)),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetDouble(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return entries;
    }
}
