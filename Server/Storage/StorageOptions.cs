namespace Clovers.Monitor.Server.Storage;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>Sqlite</c> (embedded default) or <c>InfluxDB</c> (an InfluxDB 2 server, see <see cref="Influx"/>).</summary>
    public string Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>The InfluxDB 2 server, read only when <see cref="Provider"/> is <c>InfluxDB</c>.</summary>
    public InfluxOptions Influx { get; set; } = new();

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

    public const string InfluxDb = "InfluxDB";

    /// <summary>True for <c>InfluxDB</c> in any letter case, as configuration keys are read.</summary>
    public static bool IsInfluxDb(string? provider) => string.Equals(provider, InfluxDb, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Configuration section <c>Storage:Influx</c>: where and how readings go to InfluxDB 2.</summary>
public sealed class InfluxOptions
{
    public const string SectionName = "Influx";

    /// <summary>Base URL of the server, <c>http://influxdb:8086</c>.</summary>
    public string Url { get; set; } = "";

    public string Org { get; set; } = "";

    public string Bucket { get; set; } = "";

    /// <summary>API token with write and read access to <see cref="Bucket"/>. Comes from configuration (an environment variable or a secret), never from the repository; never logged.</summary>
    public string Token { get; set; } = "";

    /// <summary>Most points sent in one write request; larger batches are split.</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>
    /// Longest one write request (one flush of up to <see cref="BatchSize"/> points) may take before
    /// it is abandoned and counted as a failed attempt.
    /// </summary>
    public int FlushIntervalMilliseconds { get; set; } = 10_000;

    /// <summary>Further attempts after a failed write request, with exponential backoff, before the write fails.</summary>
    public int RetryCount { get; set; } = 3;
}
