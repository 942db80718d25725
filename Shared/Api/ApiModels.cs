namespace Clovers.Monitor.Shared.Api;

/// <summary>
/// One time bucket of a downsampled history. Min and max keep spikes visible however coarse the
/// bucket; an empty bucket (a gap) has Count 0 and null statistics.
/// </summary>
public sealed record HistoryBucket(
    DateTimeOffset Start,
    double? Min,
    double? Max,
    double? Mean,
    double? Last,
    long Count);

/// <summary>Answer of <c>GET /api/channels/{id}/history</c>.</summary>
public sealed record ChannelHistory(
    string Channel,
    string Unit,
    DateTimeOffset From,
    DateTimeOffset To,
    double BucketSeconds,
    IReadOnlyList<HistoryBucket> Buckets);

/// <summary>Answer of <c>GET /api/diagnostics/ingest</c>.</summary>
public sealed record IngestDiagnostics(
    DateTimeOffset Since,
    long MessagesReceived,
    long MessagesAccepted,
    long MessagesRejected,
    long ReadingsAccepted,
    long ReadingsStored,
    IReadOnlyDictionary<string, long> RejectedByReason,
    IReadOnlyDictionary<string, long> RejectedBySource,
    IReadOnlyDictionary<string, int> QueueDepths,
    StoreLatency StoreWriteLatency,
    long SequenceGaps);

/// <summary>Write latency of the time-series store over recent batches, in milliseconds.</summary>
public sealed record StoreLatency(double LastMs, double P50Ms, double P99Ms, long Batches);

/// <summary>Answer of <c>GET /healthz</c>.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<string> Problems);

/// <summary>Public routes of the REST API, shared by the server and the client.</summary>
public static class ApiRoutes
{
    public const string Channels = "/api/channels";
    public const string Agents = "/api/agents";
    public const string IngestDiagnostics = "/api/diagnostics/ingest";
    public const string Health = "/healthz";
    public const string Info = "/api/info";
    public const string SimulationFaults = "/api/simulation/faults";

    public static string History(string channelId, DateTimeOffset from, DateTimeOffset to, int maxPoints) =>
        FormattableString.Invariant(
            $"/api/channels/{Uri.EscapeDataString(channelId)}/history?from={Uri.EscapeDataString(from.UtcDateTime.ToString("O"))}&to={Uri.EscapeDataString(to.UtcDateTime.ToString("O"))}&maxPoints={maxPoints}");

    /// <summary>History of several channels as a CSV download, one row per time bucket.</summary>
    public const string ExportCsv = "/api/history.csv";

    /// <summary>The same rows as <see cref="ExportCsv"/> in one streamed JSON document.</summary>
    public const string ExportJson = "/api/history.json";

    /// <summary>The CSV export of <paramref name="channels"/> over [from, to); no step lets the server choose.</summary>
    public static string HistoryCsv(IEnumerable<string> channels, DateTimeOffset from, DateTimeOffset to, int? stepSeconds) =>
        ExportCsv + ExportQuery(channels, from, to, stepSeconds);

    /// <summary>The JSON export of <paramref name="channels"/> over [from, to); no step lets the server choose.</summary>
    public static string HistoryJson(IEnumerable<string> channels, DateTimeOffset from, DateTimeOffset to, int? stepSeconds) =>
        ExportJson + ExportQuery(channels, from, to, stepSeconds);

    private static string ExportQuery(IEnumerable<string> channels, DateTimeOffset from, DateTimeOffset to, int? stepSeconds)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var list = string.Join(',', channels.Select(Uri.EscapeDataString));
        var step = stepSeconds is { } seconds ? FormattableString.Invariant($"&step={seconds}") : string.Empty;
        return FormattableString.Invariant(
            $"?channels={list}&from={Uri.EscapeDataString(from.UtcDateTime.ToString("O"))}&to={Uri.EscapeDataString(to.UtcDateTime.ToString("O"))}{step}");
    }
}

/// <summary>Answer of <c>GET /api/info</c>: what the dashboard needs to label itself.</summary>
public sealed record ServerInfo(string Version, bool Simulation, DateTimeOffset StartedAt);

/// <summary>Answer of <c>/api/simulation/faults</c>: every fault that can be injected and those active now.</summary>
public sealed record SimulationFaultsState(IReadOnlyList<string> Known, IReadOnlyList<string> Active);
