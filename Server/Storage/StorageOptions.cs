namespace Clovers.Monitor.Server.Storage;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>Sqlite</c> (embedded default). <c>InfluxDB</c> arrives with the storage issue.</summary>
    public string Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>Folder of the SQLite files, relative to the working directory unless absolute.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Most readings written in one transaction; larger queues are split.</summary>
    public int MaxBatchSize { get; set; } = 10_000;

    /// <summary>How long raw readings are kept. Older ranges are answered from the rollup tiers.</summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the 10 s rollup tier is kept.</summary>
    public TimeSpan TenSecondRollupRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long the 1 min rollup tier is kept.</summary>
    public TimeSpan OneMinuteRollupRetention { get; set; } = TimeSpan.FromDays(3 * 365);

    /// <summary>How long the 10 min rollup tier is kept.</summary>
    public TimeSpan TenMinuteRollupRetention { get; set; } = TimeSpan.FromDays(10 * 365);

    /// <summary>How long the 1 h rollup tier is kept.</summary>
    public TimeSpan OneHourRollupRetention { get; set; } = TimeSpan.FromDays(20 * 365);
}

public static class StorageProviders
{
    public const string Sqlite = "Sqlite";
}
