using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Benchmarks.Storage;

/// <summary>A store in a temporary folder that is deleted with it, and the data the benchmarks feed it.</summary>
internal sealed class BenchmarkStore : IAsyncDisposable
{
    public const int Channels = 50;
    public const int BatchSize = 5_000;

    /// <summary>Seconds of fleet time one <see cref="FleetBatch"/> covers.</summary>
    public const int SecondsPerFleetBatch = BatchSize / Channels;

    private readonly string _directory;

    public BenchmarkStore()
    {
        _directory = Path.Combine(Path.GetTempPath(), "clovers-storage-bench-" + Guid.NewGuid().ToString("N"));
        Store = new SqliteTimeSeriesStore(Options.Create(new StorageOptions { DataDirectory = _directory }), TimeProvider.System);
    }

    public SqliteTimeSeriesStore Store { get; }

    public static string ChannelName(int channel) => $"bench.channel_{channel:D2}";

    /// <summary>
    /// One batch as an agent fleet sends it: <see cref="Channels"/> channels at 1 Hz, so a batch of
    /// <see cref="BatchSize"/> covers 100 s, starting <paramref name="firstSecond"/> after <paramref name="origin"/>.
    /// </summary>
    public static Reading[] FleetBatch(DateTimeOffset origin, long firstSecond)
    {
        var batch = new Reading[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            var second = firstSecond + (i / Channels);
            var channel = i % Channels;
            batch[i] = new Reading(ChannelName(channel), origin.AddSeconds(second), 77 + (channel * 0.01) + Math.Sin(second / 60.0));
        }

        return batch;
    }

    /// <summary>The reading <paramref name="second"/> seconds after <paramref name="from"/> of a slowly drifting temperature with spikes.</summary>
    public static Reading OneChannelReading(string channel, DateTimeOffset from, int second) =>
        new(channel, from.AddSeconds(second), 77.3 + (0.2 * Math.Sin(second / 3_600.0)) + (second % 97 == 0 ? 1 : 0));

    /// <summary>Writes one channel at 1 Hz over [from, from + seconds) in batches of <see cref="BatchSize"/>.</summary>
    public async Task WriteOneChannelAsync(string channel, DateTimeOffset from, int seconds)
    {
        var batch = new Reading[BatchSize];
        for (var start = 0; start < seconds; start += BatchSize)
        {
            var count = Math.Min(BatchSize, seconds - start);
            for (var i = 0; i < count; i++)
            {
                batch[i] = OneChannelReading(channel, from, start + i);
            }

            await Store.WriteAsync(count == BatchSize ? batch : batch[..count], CancellationToken.None);
        }
    }

    /// <summary>Bytes of the database file after a full checkpoint, so the WAL is folded in.</summary>
    public async Task<long> CheckpointedSizeAsync()
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Store.DatabasePath, Pooling = false };
        await using (var connection = new SqliteConnection(builder.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync();
        }

        var wal = new FileInfo(Store.DatabasePath + "-wal");
        return new FileInfo(Store.DatabasePath).Length + (wal.Exists ? wal.Length : 0);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
