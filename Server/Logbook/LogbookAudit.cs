using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Logbook;

/// <summary>Notes every logbook write in the audit log: who wrote which entry, with which tags and attachments.</summary>
public sealed class LogbookAudit(IAuditLog audit, TimeProvider time)
{
    public const string WriteAction = "logbook.write";

    public ValueTask EntryWrittenAsync(LogbookEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var attached = string.Join(",", entry.Snapshots.Select(s => s.Channel));
        return audit.AppendAsync(
            new AuditEntry(
                time.GetUtcNow(),
                entry.Author,
                WriteAction,
                "logbook/" + entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                null,
                entry.Markdown.Length <= 200 ? entry.Markdown : entry.Markdown[..200] + "…",
                AuditActions.Succeeded,
                $"tags [{string.Join(",", entry.Tags)}]; channels attached [{attached}]"),
            cancellationToken);
    }
}
