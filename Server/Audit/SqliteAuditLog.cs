using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Auth;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Audit;

/// <summary>
/// The audit log in <c>state.db</c> (table <c>audit_log</c>, migration 6). Only INSERT and SELECT
/// are written here; the table's triggers refuse UPDATE and DELETE from anyone else too.
/// </summary>
internal sealed class SqliteAuditLog(StateDatabase database, ILogger<SqliteAuditLog> logger) : IAuditLog
{
    private const int MaxFieldLength = 64 * 1024;
    private const string SelectEntries = "SELECT id, at, user, action, target, old_value, new_value, result, detail FROM audit_log";
    private const string NewestFirst = "ORDER BY id DESC";

    public async ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO audit_log (at, user, action, target, old_value, new_value, result, detail)
            VALUES ($at, $user, $action, $target, $old, $new, $result, $detail);
            """;
        command.Parameters.AddWithValue("$at", StateTimestamps.ToText(entry.At));
        command.Parameters.AddWithValue("$user", entry.User);
        command.Parameters.AddWithValue("$action", entry.Action);
        command.Parameters.AddWithValue("$target", entry.Target);
        command.Parameters.AddWithValue("$old", Bounded(entry.OldValue));
        command.Parameters.AddWithValue("$new", Bounded(entry.NewValue));
        command.Parameters.AddWithValue("$result", (object?)entry.Result ?? DBNull.Value);
        command.Parameters.AddWithValue("$detail", Bounded(entry.Detail));
        await command.ExecuteNonQueryAsync(cancellationToken);
        logger.LogDebug("Audit: {User} {Action} {Target} {Result}", entry.User, entry.Action, entry.Target, entry.Result);
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var filter = Filter(query);
        await using var count = connection.CreateCommand();
        filter.PrepareCount(count, "audit_log");
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

        await using var select = connection.CreateCommand();
        filter.PrepareSelect(select, SelectEntries, NewestFirst, new SqlPage(query.Limit, query.Offset));
        var entries = new List<AuditRecord>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }

        return new AuditPage(entries, query.Offset, query.Limit, total);
    }

    public async IAsyncEnumerable<AuditRecord> ReadAllAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        Filter(query).PrepareSelect(select, SelectEntries, NewestFirst);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    private static SqlFilter Filter(AuditQuery query) =>
        new SqlFilter()
            .Within("at", query.From, query.To)
            .EqualTo("user", Trimmed(query.User))
            .EqualTo("action", Trimmed(query.Action));

    /// <summary>A blank user or action filters nothing; surrounding spaces are not part of a name.</summary>
    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static AuditRecord Read(SqliteDataReader reader) =>
        new(
            reader.GetInt64(0),
            StateTimestamps.Parse(reader.GetString(1)),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8));

    /// <summary>A whole rule set fits; a runaway value is cut, so one entry cannot bloat the file.</summary>
    private static object Bounded(string? value)
    {
        if (value is null)
        {
            return DBNull.Value;
        }

        return value.Length <= MaxFieldLength
            ? value
            : new StringBuilder(value, 0, MaxFieldLength, MaxFieldLength + 16).Append("…(cut)").ToString();
    }
}
