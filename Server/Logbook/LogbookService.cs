using System.Text.RegularExpressions;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Logbook;

/// <summary>
/// The electronic logbook: writes entries (with channel history captured at writing time) and
/// lists them merged with the operators' alarm comments from the alarm history, newest first.
/// </summary>
public sealed partial class LogbookService(
    LogbookStore store,
    AlarmHistoryReader alarms,
    ITimeSeriesStore series,
    LiveStateStore live,
    MarkdownRenderer renderer,
    TimeProvider time)
{
    public const string TagPattern = "^[a-z0-9][a-z0-9_.-]{0,31}$";

    /// <summary>Longest range of history one entry may attach.</summary>
    public static readonly TimeSpan MaxSnapshotRange = TimeSpan.FromDays(31);

    /// <summary>Every problem of a new entry, by field; empty when it can be written. Tags come back trimmed, lower case, without repeats.</summary>
    public static Dictionary<string, string[]> Validate(NewLogbookEntry? request, out IReadOnlyList<string> tags)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        tags = [];
        if (request is null)
        {
            errors["text"] = ["the body must be a JSON object with 'text'."];
            return errors;
        }

        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors["text"] = ["write something: the text is empty."];
        }
        else if (request.Text.Length > LogbookRoutes.MaxTextLength)
        {
            errors["text"] = [$"at most {LogbookRoutes.MaxTextLength} characters; this has {request.Text.Length}."];
        }

        var normalized = (request.Tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var tagProblems = normalized.Where(t => !TagRegex().IsMatch(t)).Take(5).Select(t => $"'{Clip(t)}' is not a tag: lower-case letters, digits, '.', '_' and '-', at most 32.").ToList();
        if (normalized.Count > LogbookRoutes.MaxTags)
        {
            tagProblems.Add($"at most {LogbookRoutes.MaxTags} tags.");
        }

        if (tagProblems.Count > 0)
        {
            errors["tags"] = [.. tagProblems];
        }

        tags = normalized;
        if (request.Snapshot is { } snapshot)
        {
            var problems = new List<string>();
            var channels = snapshot.Channels ?? [];
            if (channels.Count is 0 or > LogbookRoutes.MaxSnapshotChannels)
            {
                problems.Add($"attach 1 to {LogbookRoutes.MaxSnapshotChannels} channels.");
            }

            problems.AddRange(channels.Where(c => !ProtocolRules.IsValidChannelId(c)).Take(5).Select(c => $"'{Clip(c ?? "")}' is not a channel id."));
            if (snapshot.From >= snapshot.To)
            {
                problems.Add("'from' must be earlier than 'to'.");
            }
            else if (snapshot.To - snapshot.From > MaxSnapshotRange)
            {
                problems.Add($"the range may span at most {MaxSnapshotRange.TotalDays:0} days.");
            }

            if (problems.Count > 0)
            {
                errors["snapshot"] = [.. problems];
            }
        }

        return errors;
    }

    /// <summary>Writes a validated entry by <paramref name="author"/> now; null with the reason when an attached channel has neither a declaration nor stored history.</summary>
    public async Task<(LogbookEntry? Entry, string? Problem)> CreateAsync(string author, NewLogbookEntry request, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshots = new List<LogbookChannelSnapshot>();
        if (request.Snapshot is { } wanted)
        {
            foreach (var channel in wanted.Channels.Distinct(StringComparer.Ordinal))
            {
                var history = await series.QueryAsync(channel, wanted.From, wanted.To, LogbookRoutes.SnapshotBuckets, cancellationToken);
                var declared = live.Find(channel);
                if (declared is null && history.Buckets.All(b => b.Count == 0))
                {
                    return (null, $"No channel '{channel}' is declared, and none has history in the range.");
                }

                snapshots.Add(new LogbookChannelSnapshot(channel, declared?.Unit ?? "", wanted.From, wanted.To, history.BucketWidth.TotalSeconds, history.Buckets));
            }
        }

        var at = time.GetUtcNow();
        var markdown = request.Text.Trim();
        var id = await store.AddAsync(at, author, markdown, tags, snapshots, cancellationToken);
        return (ToEntry(new StoredLogbookEntry(id, at, author, tags, markdown, snapshots)), null);
    }

    public async Task<LogbookEntry?> GetAsync(long id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } stored ? ToEntry(stored) : null;

    /// <summary>One page of entries and (unless excluded) alarm comments, merged newest first.</summary>
    public async Task<LogbookPage> ListAsync(LogbookFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var wanted = filter.Offset + filter.Limit + 1;
        var entries = (await store.QueryAsync(filter, wanted, cancellationToken)).Select(ToEntry);
        if (filter.IncludeAlarmComments)
        {
            var comments = await alarms.OperatorCommentsAsync(filter.From, filter.To, filter.Author, filter.Text, wanted, cancellationToken);
            entries = entries.Concat(comments.Select(ToEntry).Where(e => filter.Tag is null || e.Tags.Contains(filter.Tag, StringComparer.Ordinal)));
        }

        var merged = entries
            .OrderByDescending(e => e.At)
            .ThenBy(e => e.Kind)
            .ThenByDescending(e => e.Id)
            .Skip(filter.Offset)
            .Take(filter.Limit + 1)
            .ToList();
        var hasMore = merged.Count > filter.Limit;
        return new LogbookPage(hasMore ? merged[..filter.Limit] : merged, filter.Offset, filter.Limit, hasMore);
    }

    public string Render(string markdown) => renderer.ToHtml(markdown);

    /// <summary>What an operator did in an alarm transition, in words.</summary>
    public static string ActionOf(AlarmHistoryEntry transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return transition switch
        {
            _ when AlarmHistoryReader.IsAcknowledgement(transition) => "Acknowledged",
            { To: AlarmState.Shelved } => "Shelved",
            { From: AlarmState.Shelved } => "Unshelved",
            { To: AlarmState.OutOfService } => "Out of service",
            { From: AlarmState.OutOfService } => "Returned to service",
            _ => "Commented",
        };
    }

    private LogbookEntry ToEntry(StoredLogbookEntry stored) =>
        new(stored.Id, LogbookEntryKind.Entry, stored.At, stored.Author, stored.Tags, stored.Markdown, renderer.ToHtml(stored.Markdown), stored.Snapshots);

    private LogbookEntry ToEntry(AlarmHistoryEntry transition)
    {
        var severity = transition.Severity.ToString().ToLowerInvariant();
        var markdown = $"**{ActionOf(transition)}** alarm *{transition.RuleName}* ({severity}): {transition.Comment}";
        return new LogbookEntry(
            transition.Id,
            LogbookEntryKind.AlarmComment,
            transition.At,
            transition.User,
            [LogbookRoutes.AlarmTag, severity],
            markdown,
            renderer.ToHtml(markdown),
            [],
            transition.RuleId);
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(TagPattern, RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();
}
