using System.Diagnostics;
using System.Globalization;

namespace Clovers.Monitor.Benchmarks.Storage;

/// <summary>
/// A Stopwatch pass over the store (<c>dotnet run -c Release --project bench/micro -- storage</c>): sustained
/// write rate, bytes on disk per reading and the 30-day query, in well under a minute.
/// </summary>
internal static class StorageQuickRun
{
    private const int FleetBatches = 200;
    private const string Channel = "cryo.dewar.temperature";

    public static async Task RunAsync(TextWriter output)
    {
        await WriteFleetAsync(output);
        await QueryThirtyDaysAsync(output);
    }

    private static async Task WriteFleetAsync(TextWriter output)
    {
        await using var bench = new BenchmarkStore();
        await bench.Store.InitializeAsync(CancellationToken.None);
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var batchMs = new List<double>(FleetBatches);
        var total = Stopwatch.StartNew();
        for (var b = 0; b < FleetBatches; b++)
        {
            var batch = BenchmarkStore.FleetBatch(origin, b * (long)(BenchmarkStore.BatchSize / BenchmarkStore.Channels));
            var watch = Stopwatch.StartNew();
            await bench.Store.WriteAsync(batch, CancellationToken.None);
            batchMs.Add(watch.Elapsed.TotalMilliseconds);
        }

        total.Stop();
        var readings = FleetBatches * BenchmarkStore.BatchSize;
        batchMs.Sort();
        var bytes = await bench.CheckpointedSizeAsync();
        Print(output, $"write: {readings:N0} readings, {BenchmarkStore.Channels} channels, batches of {BenchmarkStore.BatchSize:N0}, rollups included");
        Print(output, $"  {readings / total.Elapsed.TotalSeconds:N0} readings/s overall; batch p50 {batchMs[batchMs.Count / 2]:N1} ms, p99 {batchMs[(int)(batchMs.Count * 0.99)]:N1} ms");
        Print(output, $"  {bytes:N0} bytes on disk = {(double)bytes / readings:N1} bytes/reading");
    }

    private static async Task QueryThirtyDaysAsync(TextWriter output)
    {
        await using var bench = new BenchmarkStore();
        var now = DateTimeOffset.UtcNow;
        var to = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var from = to.AddSeconds(-StorageQueryBenchmarks.Seconds);
        var watch = Stopwatch.StartNew();
        await bench.WriteOneChannelAsync(Channel, from, StorageQueryBenchmarks.Seconds);
        var writeSeconds = watch.Elapsed.TotalSeconds;
        var bytes = await bench.CheckpointedSizeAsync();
        Print(output, $"prepare: 30 days of one channel at 1 Hz = {StorageQueryBenchmarks.Seconds:N0} readings in {writeSeconds:N1} s ({StorageQueryBenchmarks.Seconds / writeSeconds:N0} readings/s)");
        Print(output, $"  {bytes:N0} bytes on disk = {(double)bytes / StorageQueryBenchmarks.Seconds:N1} bytes/reading");

        var rollups = await TimeAsync(10, () => bench.Store.QueryAsync(Channel, from, to, 1_000, CancellationToken.None));
        Print(output, $"query 30 days -> 1000 buckets from rollups: {rollups.Buckets} buckets of {rollups.Width}, median {rollups.MedianMs:N2} ms");
        var raw = await TimeAsync(3, () => bench.Store.QueryAsync(Channel, from, to, 1_000, useRollups: false, CancellationToken.None));
        Print(output, $"query 30 days -> 1000 buckets from raw rows: {raw.Buckets} buckets of {raw.Width}, median {raw.MedianMs:N2} ms");
        var day = await TimeAsync(10, () => bench.Store.QueryAsync(Channel, to.AddDays(-1), to, 1_000, CancellationToken.None));
        Print(output, $"query 1 day -> 1000 buckets: {day.Buckets} buckets of {day.Width}, median {day.MedianMs:N2} ms");
    }

    private static async Task<(int Buckets, TimeSpan Width, double MedianMs)> TimeAsync(
        int repeats, Func<Task<Server.Storage.HistoryResult>> query)
    {
        var times = new List<double>(repeats);
        Server.Storage.HistoryResult? result = null;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            result = await query();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (result!.Buckets.Count, result.BucketWidth, times[times.Count / 2]);
    }

    private static void Print(TextWriter output, string line) => output.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
