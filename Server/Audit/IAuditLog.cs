using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Audit;

/// <summary>
/// One thing someone did: who (<paramref name="User"/>, a user name or "anonymous"), what
/// (<paramref name="Action"/>, see <see cref="AuditActions"/>), to what (<paramref name="Target"/>,
/// a rule id, a user name…), the value before and after where there is one, and how it ended.
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string User,
    string Action,
    string Target,
    string? OldValue,
    string? NewValue,
    string? Result,
    string? Detail);

/// <summary>A filter over the audit log: [From, To), exact user and action, a page of it.</summary>
public sealed record AuditQuery(DateTimeOffset? From, DateTimeOffset? To, string? User, string? Action, int Offset, int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}

/// <summary>
/// The audit log: append-only. There is no way to change or remove an entry, here or in the
/// database (triggers refuse UPDATE and DELETE on its table).
/// </summary>
public interface IAuditLog
{
    ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries matching <paramref name="query"/>, newest first, with the total count of matches.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every entry matching the filters (offset and limit ignored), newest first, streamed.</summary>
    IAsyncEnumerable<AuditRecord> ReadAllAsync(AuditQuery query, CancellationToken cancellationToken);
}
