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
}

public static class StorageProviders
{
    public const string Sqlite = "Sqlite";
}
