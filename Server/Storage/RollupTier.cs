namespace Clovers.Monitor.Server.Storage;

/// <summary>
/// A table of pre-aggregated buckets (min, max, sum, count, last) of one fixed width, kept up to
/// date as readings are written so that long ranges are answered without touching raw rows.
/// </summary>
internal sealed class RollupTier
{
    private readonly Func<StorageOptions, TimeSpan> _retention;

    private RollupTier(string tableName, TimeSpan width, Func<StorageOptions, TimeSpan> retention)
    {
        TableName = tableName;
        WidthMs = (long)width.TotalMilliseconds;
        _retention = retention;
    }

    /// <summary>Finest first; each width divides the next, so finer buckets nest in coarser ones.</summary>
    public static IReadOnlyList<RollupTier> All { get; } =
    [
        new("rollup_10s", TimeSpan.FromSeconds(10), o => o.TenSecondRollupRetention),
        new("rollup_1m", TimeSpan.FromMinutes(1), o => o.OneMinuteRollupRetention),
        new("rollup_10m", TimeSpan.FromMinutes(10), o => o.TenMinuteRollupRetention),
        new("rollup_1h", TimeSpan.FromHours(1), o => o.OneHourRollupRetention),
    ];

    /// <summary>The coarsest tier; raw rows are recomputed and retained in whole buckets of this width.</summary>
    public static RollupTier Coarsest => All[^1];

    public string TableName { get; }

    public long WidthMs { get; }

    public TimeSpan Retention(StorageOptions options) => _retention(options);

    public override string ToString() => TableName;
}
