using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Logbook;

/// <summary>Notes every logbook write in the audit trail: who wrote which entry, with which tags and attachments.</summary>
public sealed class LogbookAudit(ILogger<LogbookAudit> logger)
{
    public const string WriteAction = "logbook.write";

    public ValueTask EntryWrittenAsync(LogbookEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        logger.LogInformation("{User} wrote logbook entry {Id} (tags {Tags}; {Snapshots} channels attached)", entry.Author, entry.Id, string.Join(",", entry.Tags), entry.Snapshots.Count);
        return ValueTask.CompletedTask;
    }
}
