using Clovers.Monitor.Server.State;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>
/// Persists the per-agent high-water mark of durably stored batches in <c>state.db</c> (table
/// <c>ingest_sequences</c>, migration 9), so a Server restarted after a crash still drops batches
/// it had already stored. A mark is written after its batch committed, never before, so a crash
/// in between only lets a replay through to the idempotent store once more.
/// </summary>
public sealed class SequenceStore(StateDatabase database)
{
    public async Task<IReadOnlyList<KeyValuePair<string, long>>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT agent_id, seq FROM ingest_sequences LIMIT {SequenceTracker.MaxAgents};";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var marks = new List<KeyValuePair<string, long>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            marks.Add(new(reader.GetString(0), reader.GetInt64(1)));
        }

        return marks;
    }

    public async Task SaveAsync(IReadOnlyList<KeyValuePair<string, long>> marks, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (marks.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO ingest_sequences (agent_id, seq, updated_at) VALUES ($agent, $seq, $at)
            ON CONFLICT (agent_id) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at;
            """;
        var agent = command.Parameters.Add("$agent", Microsoft.Data.Sqlite.SqliteType.Text);
        var seq = command.Parameters.Add("$seq", Microsoft.Data.Sqlite.SqliteType.Integer);
        command.Parameters.AddWithValue("$at", StateTimestamps.ToText(at));
        foreach (var (agentId, value) in marks)
        {
            agent.Value = agentId;
            seq.Value = value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
