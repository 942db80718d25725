using System.Diagnostics;
using Clovers.Monitor.Benchmarks.Storage;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Protocol;
using static Clovers.Monitor.Benchmarks.Storage.BenchOutput;

namespace Clovers.Monitor.Benchmarks.Reference;

/// <summary>
/// The same write and query workload against this store's SQLite and against Debian's InfluxDB 1.6.7 and
/// VictoriaMetrics (<c>dotnet run -c Release --project bench/micro -- reference</c>), one after the other so
/// they never share the cores. Servers are started here on loopback and stopped by their process id;
/// nothing is installed: a missing binary is reported with the apt-get command and skipped.
/// </summary>
internal static class ReferenceRun
{
    private const int FleetBatches = 200;
    private const int ThirtyDaysSeconds = StorageQueryBenchmarks.Seconds;
    private const int QueryRepetitions = 20;
    private const string Channel = "cryo.dewar.temperature";

    public static async Task RunAsync(TextWriter output)
    {
        PrintMachine(output);
        var to = HourFloor(DateTimeOffset.UtcNow);
        var from = to.AddSeconds(-ThirtyDaysSeconds);
        var width = TimeSpan.FromMilliseconds(BucketPlan.Create(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), StorageQuickRun.MaxBuckets).WidthMs);
        Print(output, $"workload, the same for every store, one request or call at a time:");
        Print(output, $"  write A: {FleetBatches * BenchmarkStore.BatchSize:N0} readings of {BenchmarkStore.Channels} channels at 1 Hz, batches of {BenchmarkStore.BatchSize:N0}");
        Print(output, $"  write B: 30 days of one channel at 1 Hz = {ThirtyDaysSeconds:N0} readings, batches of {BenchmarkStore.BatchSize:N0}");
        Print(output, $"  query: that channel's 30 days -> {(to - from) / width:N0} buckets of {width} (min, max, mean, count), {StorageQuickRun.Warmups} warm-ups + {QueryRepetitions} timed");
        Print(output, $"  SQLite is called in-process and keeps its rollup tiers while writing; the servers get line protocol over HTTP (value field only).");

        var figures = new List<ReferenceFigures>
        {
            await MeasureAsync(output, "SQLite", () => Task.FromResult<IReferenceTarget>(new SqliteTarget()), from, to, width),
        };
        figures.Add(await MeasureServerAsync(output, "InfluxDB", InfluxDbTarget.Executable, InfluxDbTarget.Package, InfluxDbTarget.StartAsync, from, to, width));
        figures.Add(await MeasureServerAsync(output, "VictoriaMetrics", VictoriaMetricsTarget.Executable, VictoriaMetricsTarget.Package, VictoriaMetricsTarget.StartAsync, from, to, width));

        output.WriteLine();
        Print(output, $"{"store",-48} {"write A r/s",12} {"write B r/s",12} {"query p50",12} {"query p95",12}  readings counted");
        foreach (var row in figures)
        {
            if (row.Skipped is not null)
            {
                Print(output, $"{row.Name,-48} skipped: {row.Skipped}");
                continue;
            }

            Print(output, $"{row.Name,-48} {row.FleetReadingsPerSecond,12:N0} {row.OneChannelReadingsPerSecond,12:N0} {row.Query!.P50Ms,9:N2} ms {row.Query.P95Ms,9:N2} ms  {row.Counted:N0}");
        }
    }

    private static async Task<ReferenceFigures> MeasureServerAsync<TTarget>(
        TextWriter output,
        string label,
        string executable,
        string package,
        Func<CancellationToken, Task<TTarget>> start,
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan width)
        where TTarget : IReferenceTarget
    {
        if (!File.Exists(executable))
        {
            var reason = $"{executable} not found; install it with: sudo apt-get install -y {package}";
            Print(output, $"{label}: skipped: {reason}");
            return ReferenceFigures.Skip(label, reason);
        }

        return await MeasureAsync(output, label, async () => await start(CancellationToken.None), from, to, width);
    }

    private static async Task<ReferenceFigures> MeasureAsync(
        TextWriter output, string label, Func<Task<IReferenceTarget>> start, DateTimeOffset from, DateTimeOffset to, TimeSpan width)
    {
        IReferenceTarget target;
        try
        {
            target = await start();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var reason = $"did not start: {exception.Message}";
            Print(output, $"{label}: skipped: {reason}");
            return ReferenceFigures.Skip(label, reason);
        }

        await using (target)
        {
            try
            {
                return await RunWorkloadAsync(output, target, from, to, width);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var reason = $"failed: {exception.Message}";
                Print(output, $"{target.Name}: skipped: {reason}");
                return ReferenceFigures.Skip(target.Name, reason);
            }
        }
    }

    private static async Task<ReferenceFigures> RunWorkloadAsync(
        TextWriter output, IReferenceTarget target, DateTimeOffset from, DateTimeOffset to, TimeSpan width)
    {
        Print(output, $"{target.Name}:");
        var fleetOrigin = from.AddDays(-7);
        var fleet = await WriteAsync(target, FleetBatches, b => BenchmarkStore.FleetBatch(fleetOrigin, b * (long)BenchmarkStore.SecondsPerFleetBatch));
        Print(output, $"  write A: {fleet.ReadingsPerSecond:N0} readings/s; batch p50 {fleet.BatchP50Ms:N1} ms, p99 {fleet.BatchP99Ms:N1} ms");

        var batches = (ThirtyDaysSeconds + BenchmarkStore.BatchSize - 1) / BenchmarkStore.BatchSize;
        var oneChannel = await WriteAsync(target, batches, b => OneChannelBatch(from, b));
        Print(output, $"  write B: {oneChannel.ReadingsPerSecond:N0} readings/s; batch p50 {oneChannel.BatchP50Ms:N1} ms, p99 {oneChannel.BatchP99Ms:N1} ms");

        await target.FlushAsync(CancellationToken.None);
        var counted = await WaitUntilAllCountedAsync(target, from, to, width);
        var latency = await LatencySummary.MeasureAsync(StorageQuickRun.Warmups, QueryRepetitions, async () =>
            counted = await target.QueryAsync(Channel, from, to, width, CancellationToken.None));
        Print(output, $"  query 30 days -> {(to - from) / width:N0} buckets of {width}: {latency}; {counted:N0} readings counted");
        return new ReferenceFigures(target.Name, fleet.ReadingsPerSecond, oneChannel.ReadingsPerSecond, latency, counted, null);
    }

    /// <summary>Servers may make writes searchable a moment later; measuring starts once the answer is complete.</summary>
    private static async Task<long> WaitUntilAllCountedAsync(IReferenceTarget target, DateTimeOffset from, DateTimeOffset to, TimeSpan width)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var counted = await target.QueryAsync(Channel, from, to, width, CancellationToken.None);
            if (counted == ThirtyDaysSeconds || waited.Elapsed > TimeSpan.FromSeconds(15))
            {
                return counted;
            }

            await Task.Delay(500);
        }
    }

    private static Reading[] OneChannelBatch(DateTimeOffset from, int batch)
    {
        var first = batch * BenchmarkStore.BatchSize;
        var count = Math.Min(BenchmarkStore.BatchSize, ThirtyDaysSeconds - first);
        var readings = new Reading[count];
        for (var i = 0; i < count; i++)
        {
            readings[i] = BenchmarkStore.OneChannelReading(Channel, from, first + i);
        }

        return readings;
    }

    /// <summary>Writes batches one at a time; only the write calls are timed, not building the readings.</summary>
    private static async Task<WriteFigures> WriteAsync(IReferenceTarget target, int batches, Func<int, Reading[]> batchAt)
    {
        var batchMs = new double[batches];
        long readings = 0;
        for (var b = 0; b < batches; b++)
        {
            var batch = batchAt(b);
            var started = Stopwatch.GetTimestamp();
            await target.WriteAsync(batch, CancellationToken.None);
            batchMs[b] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            readings += batch.Length;
        }

        var totalSeconds = batchMs.Sum() / 1000;
        Array.Sort(batchMs);
        return new WriteFigures(readings / totalSeconds, batchMs[batches / 2], batchMs[(int)(batches * 0.99)]);
    }

    private sealed record WriteFigures(double ReadingsPerSecond, double BatchP50Ms, double BatchP99Ms);

    private sealed record ReferenceFigures(
        string Name, double FleetReadingsPerSecond, double OneChannelReadingsPerSecond, LatencySummary? Query, long Counted, string? Skipped)
    {
        public static ReferenceFigures Skip(string name, string reason) => new(name, 0, 0, null, 0, reason);
    }
}
