using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.State;

/// <summary>
/// A pipeline stage that keeps <c>agents_seen</c>: every agent that ever announced itself, when
/// first and last, and the version and host its last birth named. Status messages are rare
/// (births, wills), so each is written at once.
/// </summary>
public sealed class AgentHistoryRecorder(StateDatabase database) : IIngestStage
{
    public string Name => "agent-history";

    public int QueueDepth => 0;

    public async ValueTask ProcessAsync(IngestItem item, CancellationToken cancellationToken)
    {
        if (item is not AgentStatusChanged change)
        {
            return;
        }

        var online = change.Status.State == AgentLifecycle.Online;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // A will or goodbye carries no version: it refreshes last_seen and keeps what the birth said.
        command.CommandText = """
            INSERT INTO agents_seen (agent_id, first_seen, last_seen, last_version, last_host)
            VALUES ($agent, $at, $at, $version, $host)
            ON CONFLICT (agent_id) DO UPDATE SET
                last_seen = excluded.last_seen,
                last_version = coalesce(excluded.last_version, agents_seen.last_version),
                last_host = coalesce(excluded.last_host, agents_seen.last_host);
            """;
        command.Parameters.AddWithValue("$agent", change.AgentId);
        command.Parameters.AddWithValue("$at", StateTimestamps.ToText(change.ReceivedAt));
        command.Parameters.AddWithValue("$version", online ? (object?)change.Status.Version ?? DBNull.Value : DBNull.Value);
        command.Parameters.AddWithValue("$host", online ? (object?)change.Status.Host ?? DBNull.Value : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
