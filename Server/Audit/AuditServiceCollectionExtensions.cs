using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Clovers.Monitor.Server.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The append-only audit log in the state database (call after <c>AddState()</c>).</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IAuditLog, SqliteAuditLog>();
        return builder;
    }

    /// <summary>Appends an entry stamped now by <paramref name="time"/>.</summary>
    public static ValueTask AppendAsync(
        this IAuditLog log,
        TimeProvider time,
        string user,
        string action,
        string target,
        string? result,
        CancellationToken cancellationToken,
        string? oldValue = null,
        string? newValue = null,
        string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        return log.AppendAsync(new AuditEntry(time.GetUtcNow(), user, action, target, oldValue, newValue, result, detail), cancellationToken);
    }
}
