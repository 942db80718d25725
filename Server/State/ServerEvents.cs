namespace Clovers.Monitor.Server.State;

/// <summary>Kinds of rows in <c>server_events</c>: what the Server notes about its own life.</summary>
public static class ServerEventKinds
{
    public const string Started = "started";
    public const string Stopped = "stopped";
}

/// <summary>A row of <c>server_events</c>.</summary>
public sealed record ServerEvent(long Id, DateTimeOffset At, string Kind, string? Detail);

/// <summary>Writes and reads <c>server_events</c>.</summary>
public sealed class ServerEventLog(StateDatabase database, TimeProvider time)
{
    public async Task RecordAsync(string kind, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO server_events (at, kind, detail) VALUES ($at, $kind, $detail);";
        command.Parameters.AddWithValue("$at", StateTimestamps.ToText(time.GetUtcNow()));
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="count"/> events, newest first.</summary>
    public async Task<IReadOnlyList<ServerEvent>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, at, kind, detail FROM server_events ORDER BY id DESC LIMIT $count;";
        command.Parameters.AddWithValue("$count", count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<ServerEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new ServerEvent(
                reader.GetInt64(0),
                StateTimestamps.Parse(reader.GetString(1)),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return events;
    }
}
