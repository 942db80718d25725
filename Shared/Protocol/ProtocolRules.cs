using System.Text.RegularExpressions;

namespace Clovers.Monitor.Shared.Protocol;

/// <summary>
/// The limits every publisher must respect. They are part of the protocol (docs/protocol.md) so
/// that a DAQ written in another language can check its messages before it sends them.
/// </summary>
public static partial class ProtocolRules
{
    /// <summary>The only schema version this release reads and writes.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Lower-case dotted id of 2 to 8 segments, at most 64 characters: <c>cryo.ln2.level</c>.</summary>
    public const string ChannelIdPattern = "^[a-z][a-z0-9_]*(\\.[a-z0-9][a-z0-9_-]*){1,7}$";

    /// <summary>Lower-case id of an agent or DAQ, at most 32 characters: <c>platform-1</c>.</summary>
    public const string SourceIdPattern = "^[a-z0-9][a-z0-9_-]{0,31}$";

    public const int MaxChannelIdLength = 64;

    /// <summary>Largest accepted MQTT payload; bigger messages are rejected unread.</summary>
    public const int MaxPayloadBytes = 1024 * 1024;

    /// <summary>Most readings in one batch.</summary>
    public const int MaxReadingsPerBatch = 5000;

    /// <summary>Most channels one agent may declare in its birth message.</summary>
    public const int MaxChannelsPerAgent = 1000;

    /// <summary>Most histograms in one <see cref="HistogramSet"/>.</summary>
    public const int MaxHistogramsPerMessage = 64;

    /// <summary>Most bins in one histogram.</summary>
    public const int MaxHistogramBins = 4096;

    /// <summary>A reading may be at most this far ahead of the server clock.</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(5);

    /// <summary>A reading may be at most this old when it arrives (replays of a week-long outage fit).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(31);

    public static bool IsValidChannelId(string? id) =>
        id is { Length: > 0 and <= MaxChannelIdLength } && ChannelIdRegex().IsMatch(id);

    public static bool IsValidSourceId(string? id) => id is { Length: > 0 } && SourceIdRegex().IsMatch(id);

    // "$" would also match before a trailing newline; "\z" anchors at the very end.
    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z0-9][a-z0-9_-]*){1,7}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelIdRegex();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SourceIdRegex();
}
