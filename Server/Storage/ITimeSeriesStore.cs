using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Storage;

/// <summary>
/// Where readings live once ingested. Writes come in batches from one writer; queries come
/// from the API. Implementations: SQLite (embedded default); InfluxDB later.
/// </summary>
public interface ITimeSeriesStore
{
    /// <summary>
    /// Stores a batch durably before it returns. Writing the same channel and timestamp twice
    /// keeps one point (the later value), so replays never duplicate.
    /// </summary>
    Task WriteAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken);

    /// <summary>
    /// The range [from, to) of one channel cut into equal buckets, at most <paramref name="maxBuckets"/>
    /// of them, each with min, max, mean, last and count. Every bucket of the range is returned,
    /// an empty one (a gap) with count 0 and null statistics.
    /// </summary>
    Task<HistoryResult> QueryAsync(
        string channel,
        DateTimeOffset from,
        DateTimeOffset to,
        int maxBuckets,
        CancellationToken cancellationToken);

    /// <summary>The newest stored reading of each channel that has one.</summary>
    Task<IReadOnlyList<Reading>> LatestAsync(CancellationToken cancellationToken);

    /// <summary>A cheap round trip that proves the store answers (for /healthz).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

/// <summary>A downsampled range: the bucket width chosen and the buckets in time order.</summary>
public sealed record HistoryResult(TimeSpan BucketWidth, IReadOnlyList<HistoryBucket> Buckets);
