using System.Globalization;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Api;

/// <summary>Where a logbook line comes from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogbookEntryKind>))]
public enum LogbookEntryKind
{
    /// <summary>Written in the logbook by a person.</summary>
    [JsonStringEnumMemberName("entry")]
    Entry,

    /// <summary>The comment of an alarm acknowledgement or shelving, read from the alarm history.</summary>
    [JsonStringEnumMemberName("alarmComment")]
    AlarmComment,
}

/// <summary>
/// Stored history of one channel attached to an entry: downsampled when the entry was written,
/// so it outlives the raw readings' retention.
/// </summary>
public sealed record LogbookChannelSnapshot(
    string Channel,
    string Unit,
    DateTimeOffset From,
    DateTimeOffset To,
    double BucketSeconds,
    IReadOnlyList<HistoryBucket> Buckets);

/// <summary>
/// One line of the logbook. <see cref="Html"/> is the Markdown rendered by the server with raw HTML
/// disabled and then sanitized: safe to show as markup. Alarm comments carry the alarm history
/// row's id and the rule they concern.
/// </summary>
public sealed record LogbookEntry(
    long Id,
    LogbookEntryKind Kind,
    DateTimeOffset At,
    string Author,
    IReadOnlyList<string> Tags,
    string Markdown,
    string Html,
    IReadOnlyList<LogbookChannelSnapshot> Snapshots,
    string? AlarmRuleId = null);

/// <summary>Answer of <c>GET /api/logbook</c>: entries newest first from <see cref="Offset"/>.</summary>
public sealed record LogbookPage(IReadOnlyList<LogbookEntry> Entries, int Offset, int Limit, bool HasMore);

/// <summary>Channels and range of history to attach to a new entry.</summary>
public sealed record LogbookSnapshotRequest(IReadOnlyList<string> Channels, DateTimeOffset From, DateTimeOffset To);

/// <summary>Body of <c>POST /api/logbook</c>; the author is the logged-in user.</summary>
public sealed record NewLogbookEntry(string Text, IReadOnlyList<string>? Tags, LogbookSnapshotRequest? Snapshot);

/// <summary>Body of <c>POST /api/logbook/preview</c>.</summary>
public sealed record LogbookPreviewRequest(string Text);

/// <summary>Answer of <c>POST /api/logbook/preview</c>: the Markdown as the logbook will show it.</summary>
public sealed record LogbookPreview(string Html);

/// <summary>Filters of <c>GET /api/logbook</c>; every one optional.</summary>
public sealed record LogbookFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Tag = null,
    string? Author = null,
    string? Text = null,
    bool IncludeAlarmComments = true,
    int Offset = 0,
    int Limit = LogbookRoutes.DefaultLimit);

/// <summary>Routes and limits of the logbook API, shared by the server and the client.</summary>
public static class LogbookRoutes
{
    public const string Entries = "/api/logbook";
    public const string Preview = "/api/logbook/preview";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxOffset = 10_000;
    public const int MaxTextLength = 20_000;
    public const int MaxTags = 10;
    public const int MaxSnapshotChannels = 8;
    public const int SnapshotBuckets = 300;

    /// <summary>The tag every merged alarm comment carries.</summary>
    public const string AlarmTag = "alarm";

    public static string Entry(long id) => Entries + "/" + id.ToString(CultureInfo.InvariantCulture);

    public static string Query(LogbookFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        Add(parts, "from", filter.From?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add(parts, "to", filter.To?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add(parts, "tag", filter.Tag);
        Add(parts, "author", filter.Author);
        Add(parts, "q", filter.Text);
        if (!filter.IncludeAlarmComments)
        {
            parts.Add("alarms=false");
        }

        if (filter.Offset > 0)
        {
            parts.Add("offset=" + filter.Offset.ToString(CultureInfo.InvariantCulture));
        }

        parts.Add("limit=" + filter.Limit.ToString(CultureInfo.InvariantCulture));
        return Entries + "?" + string.Join('&', parts);
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value.Trim()));
        }
    }
}
