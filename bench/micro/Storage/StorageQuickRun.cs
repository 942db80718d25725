using System.Diagnostics;
using Clovers.Monitor.Server.Storage;
using static Clovers.Monitor.Benchmarks.Storage.BenchOutput;

namespace Clovers.Monitor.Benchmarks.Storage;

/// <summary>
/// A Stopwatch pass over the store (<c>dotnet run -c Release --project bench/micro -- storage</c>) that prints
/// the figures the storage issue asks for: sustained write rate with rollups, bytes on disk per reading,
/// and query p50/p95 for 30 and 180 days of one channel and for the 50-channel Overview. A few minutes.
/// Figures only: nothing here passes or fails.
/// </summary>
internal static class StorageQuickRun
{
    public const int QueryRepetitions = 30;
    public const int OverviewRepetitions = 20;
    public const int Warmups = 2;
    public const int MaxBuckets = 1_000;

    private const int FleetBatches = 200;
    private const int HistoryDays = 180;
    private const int OverviewSeconds = 86_400;
    private const string Channel = "cryo.dewar.temperature";

    /// <summary>Parts that can be asked for alone, e.g. <c>-- storage overview</c>; none named runs them all.</summary>
    public static IReadOnlyList<string> Parts { get; } = ["write", "history", "overview"];

    public static async Task RunAsync(TextWriter output, IReadOnlyCollection<string> parts)
    {
        var unknown = parts.Where(p => !Parts.Contains(p, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (unknown.Length > 0)
        {
            Print(output, $"unknown part(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", Parts)}, or name none for all");
            return;
        }

        bool Wanted(string part) => parts.Count == 0 || parts.Contains(part, StringComparer.OrdinalIgnoreCase);
        PrintMachine(output);
        if (Wanted("write"))
        {
            await WriteFleetAsync(output);
        }

        if (Wanted("history"))
        {
            await QueryOneChannelHistoryAsync(output);
        }

        if (Wanted("overview"))
        {
            await QueryOverviewAsync(output);
        }

        PrintMachine(output);
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
            var batch = BenchmarkStore.FleetBatch(origin, b * (long)BenchmarkStore.SecondsPerFleetBatch);
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
        Print(output, $"  {bytes:N0} bytes on disk (raw + rollups + latest) = {(double)bytes / readings:N1} bytes/reading");
    }

    /// <summary>
    /// 180 days of one channel at 1 Hz, real raw rows (15.6 M), then the 30-day and the 180-day range.
    /// Raw retention is not applied, so the raw rows of all 180 days stay in the table as they would
    /// in the hours before a retention pass; the 180-day query is answered from the 1 h tier anyway.
    /// </summary>
    private static async Task QueryOneChannelHistoryAsync(TextWriter output)
    {
        await using var bench = new BenchmarkStore();
        var to = HourFloor(DateTimeOffset.UtcNow);
        var from180 = to.AddDays(-HistoryDays);
        var from30 = to.AddSeconds(-StorageQueryBenchmarks.Seconds);
        var seconds = HistoryDays * 86_400;
        var watch = Stopwatch.StartNew();
        await bench.WriteOneChannelAsync(Channel, from180, seconds);
        var writeSeconds = watch.Elapsed.TotalSeconds;
        var bytes = await bench.CheckpointedSizeAsync();
        Print(output, $"prepare: {HistoryDays} days of one channel at 1 Hz (real raw rows) = {seconds:N0} readings in {writeSeconds:N1} s ({seconds / writeSeconds:N0} readings/s, rollups included)");
        Print(output, $"  {bytes:N0} bytes on disk (raw + rollups) = {(double)bytes / seconds:N1} bytes/reading");

        await PrintQueryAsync(output, "query 30 days (2.59 M readings) -> <= 1000 buckets from rollups [target p95 <= 30 ms]", QueryRepetitions,
            () => bench.Store.QueryAsync(Channel, from30, to, MaxBuckets, CancellationToken.None));
        await PrintQueryAsync(output, "query 30 days -> <= 1000 buckets from raw rows (for comparison)", 3,
            () => bench.Store.QueryAsync(Channel, from30, to, MaxBuckets, useRollups: false, CancellationToken.None));
        await PrintQueryAsync(output, "query 1 day -> <= 1000 buckets", QueryRepetitions,
            () => bench.Store.QueryAsync(Channel, to.AddDays(-1), to, MaxBuckets, CancellationToken.None));
        await PrintQueryAsync(output, $"query {HistoryDays} days ({seconds / 1e6:N2} M readings) -> <= 1000 buckets [target p95 <= 50 ms]", QueryRepetitions,
            () => bench.Store.QueryAsync(Channel, from180, to, MaxBuckets, CancellationToken.None));
    }

    /// <summary>
    /// The Overview page: 50 channels, the last 24 h of each in at most 1,000 buckets. Timed as one
    /// figure for all 50, asked one after the other and all at once (as a browser's requests may come).
    /// </summary>
    private static async Task QueryOverviewAsync(TextWriter output)
    {
        await using var bench = new BenchmarkStore();
        await bench.Store.InitializeAsync(CancellationToken.None);
        var to = HourFloor(DateTimeOffset.UtcNow);
        var from = to.AddSeconds(-OverviewSeconds);
        var batches = OverviewSeconds / BenchmarkStore.SecondsPerFleetBatch;
        var watch = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++)
        {
            await bench.Store.WriteAsync(BenchmarkStore.FleetBatch(from, b * (long)BenchmarkStore.SecondsPerFleetBatch), CancellationToken.None);
        }

        var writeSeconds = watch.Elapsed.TotalSeconds;
        var readings = (long)batches * BenchmarkStore.BatchSize;
        var bytes = await bench.CheckpointedSizeAsync();
        Print(output, $"prepare: Overview, {BenchmarkStore.Channels} channels x 24 h at 1 Hz = {readings:N0} readings in {writeSeconds:N1} s ({readings / writeSeconds:N0} readings/s sustained, rollups included)");
        Print(output, $"  {bytes:N0} bytes on disk (raw + rollups + latest) = {(double)bytes / readings:N1} bytes/reading");

        var channels = Enumerable.Range(0, BenchmarkStore.Channels).Select(BenchmarkStore.ChannelName).ToArray();
        await PrintQueryAsync(output, "query Overview, one channel alone: last 24 h -> <= 1000 buckets", QueryRepetitions,
            () => bench.Store.QueryAsync(channels[0], from, to, MaxBuckets, CancellationToken.None));
        var bucketsSeen = 0L;
        var oneAfterAnother = await LatencySummary.MeasureAsync(Warmups, OverviewRepetitions, async () =>
        {
            bucketsSeen = 0;
            foreach (var channel in channels)
            {
                var result = await bench.Store.QueryAsync(channel, from, to, MaxBuckets, CancellationToken.None);
                bucketsSeen += result.Buckets.Count;
            }
        });
        Print(output, $"query Overview: {channels.Length} channels x last 24 h -> <= 1000 buckets each ({bucketsSeen:N0} buckets), one after another [target <= 100 ms for all]");
        Print(output, $"  total for all {channels.Length}: {oneAfterAnother}");
        var allAtOnce = await LatencySummary.MeasureAsync(Warmups, OverviewRepetitions, async () =>
        {
            var results = await Task.WhenAll(channels.Select(c => bench.Store.QueryAsync(c, from, to, MaxBuckets, CancellationToken.None)));
            bucketsSeen = results.Sum(r => (long)r.Buckets.Count);
        });
        Print(output, $"query Overview: the same {channels.Length} queries all at once ({bucketsSeen:N0} buckets)");
        Print(output, $"  total for all {channels.Length}: {allAtOnce}");
    }

    private static async Task PrintQueryAsync(TextWriter output, string title, int repetitions, Func<Task<HistoryResult>> query)
    {
        HistoryResult? result = null;
        var latency = await LatencySummary.MeasureAsync(repetitions > 5 ? Warmups : 0, repetitions, async () => result = await query());
        var points = result!.Buckets.Sum(b => b.Count);
        Print(output, $"{title}");
        Print(output, $"  {result.Buckets.Count} buckets of {result.BucketWidth} ({points:N0} readings counted): {latency}");
    }
}
