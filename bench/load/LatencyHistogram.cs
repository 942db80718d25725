namespace Clovers.Monitor.Load;

/// <summary>
/// Latencies in 1 ms buckets up to a minute, counted lock-free, so millions of samples from many
/// clients cost a fixed 480 KB and no allocation.
/// </summary>
public sealed class LatencyHistogram
{
    private const int MaxMilliseconds = 60_000;
    private readonly long[] _buckets = new long[MaxMilliseconds + 1];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Record(double milliseconds)
    {
        var bucket = (int)Math.Clamp(Math.Ceiling(milliseconds), 0, MaxMilliseconds);
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The smallest whole millisecond that at least <paramref name="quantile"/> of the samples do not exceed.</summary>
    public double Percentile(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var ms = 0; ms <= MaxMilliseconds; ms++)
        {
            seen += Interlocked.Read(ref _buckets[ms]);
            if (seen >= rank)
            {
                return ms;
            }
        }

        return MaxMilliseconds;
    }

    public double Max()
    {
        for (var ms = MaxMilliseconds; ms >= 0; ms--)
        {
            if (Interlocked.Read(ref _buckets[ms]) > 0)
            {
                return ms;
            }
        }

        return double.NaN;
    }
}
