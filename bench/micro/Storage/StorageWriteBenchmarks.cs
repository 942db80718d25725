using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Clovers.Monitor.Benchmarks.Storage;

/// <summary>
/// Sustained writes of 50 channels in batches of 5,000 readings, rollup tiers and the latest
/// table included. Each invocation writes 20 batches; the reported time is per reading.
/// Monitoring strategy: one invocation per iteration, so the data written stays bounded (~0.5 M rows).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class StorageWriteBenchmarks
{
    private const int BatchesPerInvocation = 20;

    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private BenchmarkStore _store = null!;
    private long _nextSecond;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = new BenchmarkStore();
        await _store.Store.InitializeAsync(CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _store.DisposeAsync();

    [Benchmark(OperationsPerInvoke = BatchesPerInvocation * BenchmarkStore.BatchSize)]
    public async Task Write50ChannelsInBatchesOf5000()
    {
        for (var i = 0; i < BatchesPerInvocation; i++)
        {
            var batch = BenchmarkStore.FleetBatch(Origin, _nextSecond);
            _nextSecond += BenchmarkStore.BatchSize / BenchmarkStore.Channels;
            await _store.Store.WriteAsync(batch, CancellationToken.None);
        }
    }
}
