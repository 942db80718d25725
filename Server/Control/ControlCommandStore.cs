using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Control;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Control;

/// <summary>
/// The <c>control_commands</c> table of <c>state.db</c>: every commanded change with its outcome,
/// so that a restarted Server still shows what was commanded (and answers a retried command id).
/// </summary>
public sealed class ControlCommandStore(StateDatabase database)
{
    private const string Columns = "command_id, agent_id, pmt, old_volts, new_volts, outcome, reason, user, requested_at, completed_at";

    /// <summary>Inserts a command, or replaces the row of the same id (a retry of an unknown command).</summary>
    public async Task SaveAsync(ControlCommandView command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var sql = connection.CreateCommand();
        sql.CommandText = $"""
            INSERT INTO control_commands ({Columns})
            VALUES ($id, $agent, $pmt, $old, $new, $outcome, $reason, $user, $requested, $completed)
            ON CONFLICT (command_id) DO UPDATE SET
                old_volts = excluded.old_volts, outcome = excluded.outcome, reason = excluded.reason,
                user = excluded.user, completed_at = excluded.completed_at;
            """;
        sql.Parameters.AddWithValue("$id", command.CommandId);
        sql.Parameters.AddWithValue("$agent", command.AgentId);
        sql.Parameters.AddWithValue("$pmt", command.Pmt);
        sql.Parameters.AddWithValue("$old", (object?)command.OldVolts ?? DBNull.Value);
        sql.Parameters.AddWithValue("$new", command.NewVolts);
        sql.Parameters.AddWithValue("$outcome", OutcomeText(command.Outcome));
        sql.Parameters.AddWithValue("$reason", (object?)command.Reason ?? DBNull.Value);
        sql.Parameters.AddWithValue("$user", command.User);
        sql.Parameters.AddWithValue("$requested", StateTimestamps.ToText(command.RequestedAt));
        sql.Parameters.AddWithValue("$completed", command.CompletedAt is { } completed ? StateTimestamps.ToText(completed) : DBNull.Value);
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ControlCommandView?> FindAsync(string commandId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var sql = connection.CreateCommand();
        sql.CommandText = $"SELECT {Columns} FROM control_commands WHERE command_id = $id;";
        sql.Parameters.AddWithValue("$id", commandId);
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The newest <paramref name="limit"/> commands, newest first.</summary>
    public async Task<IReadOnlyList<ControlCommandView>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var sql = connection.CreateCommand();
        sql.CommandText = $"SELECT {Columns} FROM control_commands ORDER BY requested_at DESC, rowid DESC LIMIT $limit;";
        sql.Parameters.AddWithValue("$limit", limit);
        return await ReadAllAsync(sql, cancellationToken);
    }

    /// <summary>Accepted commands requested in [<paramref name="from"/>, <paramref name="to"/>), oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ControlCommandView>> AcceptedBetweenAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var sql = connection.CreateCommand();
        sql.CommandText = $"""
            SELECT {Columns} FROM control_commands
            WHERE requested_at >= $from AND requested_at < $to AND outcome = 'accepted'
            ORDER BY requested_at, rowid LIMIT $limit;
            """;
        sql.Parameters.AddWithValue("$from", StateTimestamps.ToText(from));
        sql.Parameters.AddWithValue("$to", StateTimestamps.ToText(to));
        sql.Parameters.AddWithValue("$limit", limit);
        return await ReadAllAsync(sql, cancellationToken);
    }

    private static async Task<IReadOnlyList<ControlCommandView>> ReadAllAsync(SqliteCommand sql, CancellationToken cancellationToken)
    {
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        var commands = new List<ControlCommandView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            commands.Add(Read(reader));
        }

        return commands;
    }

    private static ControlCommandView Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetDouble(3),
        reader.GetDouble(4),
        ParseOutcome(reader.GetString(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.GetString(7),
        StateTimestamps.Parse(reader.GetString(8)),
        reader.IsDBNull(9) ? null : StateTimestamps.Parse(reader.GetString(9)));

    /// <summary>The outcome as stored here and as the audit log's result names it.</summary>
    internal static string OutcomeText(ControlOutcome outcome) => outcome switch
    {
        ControlOutcome.Pending => "pending",
        ControlOutcome.Accepted => "accepted",
        ControlOutcome.Refused => "refused",
        ControlOutcome.Failed => "failed",
        _ => "unknown",
    };

    private static ControlOutcome ParseOutcome(string text) => text switch
    {
        "pending" => ControlOutcome.Pending,
        "accepted" => ControlOutcome.Accepted,
        "refused" => ControlOutcome.Refused,
        "failed" => ControlOutcome.Failed,
        _ => ControlOutcome.Unknown,
    };
}
