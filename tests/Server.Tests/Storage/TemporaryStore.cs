using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Server.Tests.Storage;

/// <summary>A store on a fresh temporary folder that is deleted with it.</summary>
internal sealed class TemporaryStore : IAsyncDisposable
{
    /// <summary>A Monday at midnight UTC: aligned to every bucket width up to a day.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    public TemporaryStore(Action<StorageOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "clovers-storage-tests-" + Guid.NewGuid().ToString("N"));
        Options = new StorageOptions { DataDirectory = Directory };
        configure?.Invoke(Options);
        Store = new SqliteTimeSeriesStore(Microsoft.Extensions.Options.Options.Create(Options), Time);
    }

    public string Directory { get; }

    public StorageOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(T0.AddDays(1));

    public SqliteTimeSeriesStore Store { get; private set; }

    public static Reading[] Series(string channel, DateTimeOffset start, int count, TimeSpan step, Func<int, double> value) =>
        Enumerable.Range(0, count).Select(i => new Reading(channel, start + (i * step), value(i))).ToArray();

    /// <summary>Closes the file and opens it again, as a restarted server would.</summary>
    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = new SqliteTimeSeriesStore(Microsoft.Extensions.Options.Options.Create(Options), Time);
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Store.DatabasePath, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
