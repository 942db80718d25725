using BenchmarkDotNet.Attributes;
using Clovers.Monitor.Server.Storage;

namespace Clovers.Monitor.Benchmarks.Storage;

/// <summary>
/// 30 days of one channel at 1 Hz (2.59 M readings, written once in setup) cut into at most
/// 1,000 buckets: from the rollup tiers as the API does, and from raw rows for comparison.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class StorageQueryBenchmarks
{
    public const int Seconds = 30 * 86_400;
    private const string Channel = "cryo.dewar.temperature";

    private BenchmarkStore _store = null!;
    private DateTimeOffset _from;
    private DateTimeOffset _to;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = new BenchmarkStore();
        var now = DateTimeOffset.UtcNow;
        _to = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        _from = _to.AddSeconds(-Seconds);
        await _store.WriteOneChannelAsync(Channel, _from, Seconds);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _store.DisposeAsync();

    [Benchmark(Baseline = true)]
    public Task<HistoryResult> ThirtyDaysTo1000BucketsFromRollups() =>
        _store.Store.QueryAsync(Channel, _from, _to, 1_000, CancellationToken.None);

    [Benchmark]
    public Task<HistoryResult> ThirtyDaysTo1000BucketsFromRaw() =>
        _store.Store.QueryAsync(Channel, _from, _to, 1_000, useRollups: false, CancellationToken.None);

    [Benchmark]
    public Task<HistoryResult> OneDayTo1000BucketsFromRollups() =>
        _store.Store.QueryAsync(Channel, _to.AddDays(-1), _to, 1_000, CancellationToken.None);
}
