using System.Diagnostics;
using System.Globalization;

namespace Clovers.Monitor.Benchmarks.Storage;

/// <summary>Nearest-rank percentiles of repeated runs of one operation, in milliseconds.</summary>
internal sealed record LatencySummary(int Repetitions, double P50Ms, double P95Ms, double MaxMs)
{
    /// <summary>
    /// Runs <paramref name="operation"/> <paramref name="warmups"/> times untimed (pools, caches and
    /// JIT settle), then <paramref name="repetitions"/> times, each timed on its own.
    /// </summary>
    public static async Task<LatencySummary> MeasureAsync(int warmups, int repetitions, Func<Task> operation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        for (var i = 0; i < warmups; i++)
        {
            await operation();
        }

        var times = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        return new LatencySummary(repetitions, Percentile(times, 0.50), Percentile(times, 0.95), times[^1]);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"p50 {P50Ms:N2} ms, p95 {P95Ms:N2} ms, max {MaxMs:N2} ms over {Repetitions} runs");

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
