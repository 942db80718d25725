using System.Globalization;
using Clovers.Monitor.Server.State;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>Values of <c>notification_outbox.channel</c>.</summary>
public static class NotificationChannels
{
    public const string Email = "email";
    public const string Webhook = "webhook";
}

/// <summary>Values of <c>notification_outbox.status</c>.</summary>
public static class NotificationStatuses
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Silenced = "silenced";

    public static IReadOnlyList<string> All { get; } = [Pending, Sent, Failed, Silenced];
}

/// <summary>A message to put into the outbox: for e-mail the target is the address, for a webhook its configured name.</summary>
public sealed record OutboxMessage(
    string Channel,
    string Target,
    string Subject,
    string Body,
    string? GroupKey,
    IReadOnlyList<string> AlarmIds,
    bool Silenced = false);

/// <summary>A pending row the delivery worker is to send.</summary>
public sealed record DueNotification(long Id, string Channel, string Target, string Subject, string Body, int Attempts);

/// <summary>A row as <c>GET /api/notifications</c> shows it: no body, no URL, no secret.</summary>
public sealed record NotificationDelivery(
    long Id,
    DateTimeOffset CreatedAt,
    string Channel,
    string Target,
    string Subject,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset? SentAt,
    string? GroupKey,
    IReadOnlyList<string> AlarmIds);

/// <summary>
/// The durable outbox in <c>state.db</c>: a message is a row before anyone tries to send it, so an
/// SMTP outage or a restart delays it but never loses it.
/// </summary>
public sealed class NotificationOutbox(StateDatabase database, TimeProvider time)
{
    private const int MaxErrorLength = 500;

    public async Task AddAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var now = StateTimestamps.ToText(time.GetUtcNow());
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO notification_outbox (created_at, channel, target, subject, body, status, attempts, next_attempt_at, group_key, alarm_ids)
            VALUES ($created, $channel, $target, $subject, $body, $status, 0, $next, $group, $alarms);
            """;
        var created = command.Parameters.Add("$created", SqliteType.Text);
        var channel = command.Parameters.Add("$channel", SqliteType.Text);
        var target = command.Parameters.Add("$target", SqliteType.Text);
        var subject = command.Parameters.Add("$subject", SqliteType.Text);
        var body = command.Parameters.Add("$body", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Text);
        var next = command.Parameters.Add("$next", SqliteType.Text);
        var group = command.Parameters.Add("$group", SqliteType.Text);
        var alarms = command.Parameters.Add("$alarms", SqliteType.Text);
        foreach (var message in messages)
        {
            created.Value = now;
            channel.Value = message.Channel;
            target.Value = message.Target;
            subject.Value = message.Subject;
            body.Value = message.Body;
            status.Value = message.Silenced ? NotificationStatuses.Silenced : NotificationStatuses.Pending;
            next.Value = message.Silenced ? DBNull.Value : now;
            group.Value = (object?)message.GroupKey ?? DBNull.Value;
            alarms.Value = string.Join('\n', message.AlarmIds);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Pending rows whose next attempt is due at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DueNotification>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, channel, target, subject, body, attempts FROM notification_outbox
            WHERE status = 'pending' AND next_attempt_at <= $now
            ORDER BY next_attempt_at, id LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$now", StateTimestamps.ToText(now));
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<DueNotification>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueNotification(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
        }

        return due;
    }

    public async Task MarkSentAsync(long id, int attempts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await UpdateAsync(
            "UPDATE notification_outbox SET status = 'sent', attempts = $attempts, sent_at = $at, next_attempt_at = NULL, last_error = NULL WHERE id = $id;",
            id, attempts, StateTimestamps.ToText(at), null, cancellationToken);
    }

    /// <summary>Notes a failed attempt: the row is tried again at <paramref name="retryAt"/>, or marked failed when that is null.</summary>
    public async Task MarkAttemptFailedAsync(long id, int attempts, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken)
    {
        var text = error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
        await UpdateAsync(
            retryAt is null
                ? "UPDATE notification_outbox SET status = 'failed', attempts = $attempts, next_attempt_at = NULL, last_error = $error WHERE id = $id;"
                : "UPDATE notification_outbox SET attempts = $attempts, next_attempt_at = $at, last_error = $error WHERE id = $id;",
            id, attempts, retryAt is { } at ? StateTimestamps.ToText(at) : null, text, cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> rows, newest first, optionally of one status.</summary>
    public async Task<IReadOnlyList<NotificationDelivery>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        new SqlFilter().EqualTo("status", status).PrepareSelect(
            command,
            "SELECT id, created_at, channel, target, subject, status, attempts, next_attempt_at, last_error, sent_at, group_key, alarm_ids FROM notification_outbox",
            "ORDER BY id DESC",
            new SqlPage(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<NotificationDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new NotificationDelivery(
                reader.GetInt64(0),
                StateTimestamps.Parse(reader.GetString(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : StateTimestamps.Parse(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : StateTimestamps.Parse(reader.GetString(9)),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetString(11).Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }

        return rows;
    }

    private async Task UpdateAsync(string sql, long id, int attempts, string? at, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$at", (object?)at ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        var changed = await command.ExecuteNonQueryAsync(cancellationToken);
        if (changed != 1)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Outbox row {id} is gone."));
        }
    }
}
