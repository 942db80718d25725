using Clovers.Monitor.Benchmarks.Storage;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Benchmarks.Reference;

/// <summary>This repository's SQLite store, called in-process as the server calls it.</summary>
internal sealed class SqliteTarget : IReferenceTarget
{
    private readonly BenchmarkStore _bench = new();

    public string Name => "SQLite (this store, in-process)";

    public Task WriteAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken) =>
        _bench.Store.WriteAsync(readings, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<long> QueryAsync(string channel, DateTimeOffset from, DateTimeOffset to, TimeSpan width, CancellationToken cancellationToken)
    {
        var maxBuckets = (int)((to - from) / width);
        var result = await _bench.Store.QueryAsync(channel, from, to, maxBuckets, cancellationToken);
        if (result.BucketWidth != width)
        {
            throw new InvalidOperationException($"The store chose buckets of {result.BucketWidth}, not {width}.");
        }

        return result.Buckets.Sum(b => b.Count);
    }

    public ValueTask DisposeAsync() => _bench.DisposeAsync();
}
