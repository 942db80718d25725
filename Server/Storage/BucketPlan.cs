namespace Clovers.Monitor.Server.Storage;

/// <summary>
/// How a history query is answered: buckets of <see cref="WidthMs"/> aligned to multiples of the
/// width since the Unix epoch, covering [<see cref="StartMs"/>, <see cref="EndMs"/>) whole, read
/// from <see cref="Tier"/> or from raw rows when it is null.
/// </summary>
internal sealed record BucketPlan(long StartMs, long EndMs, long WidthMs, int BucketCount, RollupTier? Tier)
{
    public const int MaxBucketsLimit = 10_000;

    private const long Second = 1000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    private static readonly long MinUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Widths a person reads at a glance, smallest first.</summary>
    public static IReadOnlyList<long> NiceWidthsMs { get; } = BuildNiceWidths();

    /// <summary>
    /// Picks the smallest nice width that cuts [from, to) into at most <paramref name="maxBuckets"/>
    /// aligned buckets and is a multiple of <paramref name="minimumSourceWidthMs"/> (the finest
    /// source that still holds the range), then the coarsest tier whose width divides it.
    /// </summary>
    public static BucketPlan Create(long fromMs, long toMs, int maxBuckets, long minimumSourceWidthMs = 1)
    {
        foreach (var width in NiceWidthsMs)
        {
            if (width % minimumSourceWidthMs != 0)
            {
                continue;
            }

            var start = FloorTo(fromMs, width);
            var end = CeilingTo(toMs, width);
            var count = (end - start) / width;
            if (count > maxBuckets)
            {
                continue;
            }

            if (start < MinUnixMs || end - width > MaxUnixMs)
            {
                break;
            }

            var tier = RollupTier.All.LastOrDefault(t => width % t.WidthMs == 0);
            return new BucketPlan(start, end, width, (int)count, tier);
        }

        throw new ArgumentException(
            $"The range cannot be cut into at most {maxBuckets} buckets aligned to the Unix epoch; ask for more buckets or a shorter range.",
            nameof(maxBuckets));
    }

    public static long FloorTo(long value, long width) => value - ((value % width) + width) % width;

    public static long CeilingTo(long value, long width)
    {
        var floor = FloorTo(value, width);
        return floor == value ? value : floor + width;
    }

    private static long[] BuildNiceWidths()
    {
        List<long> widths =
        [
            1 * Second, 2 * Second, 5 * Second, 10 * Second, 15 * Second, 30 * Second,
            1 * Minute, 2 * Minute, 5 * Minute, 10 * Minute, 15 * Minute, 30 * Minute,
            1 * Hour, 2 * Hour, 3 * Hour, 6 * Hour, 12 * Hour,
        ];

        // Days in a 1-2-5 series, far enough to span every representable date.
        for (long decade = 1; decade <= 1_000_000; decade *= 10)
        {
            widths.Add(1 * decade * Day);
            widths.Add(2 * decade * Day);
            widths.Add(5 * decade * Day);
        }

        return [.. widths];
    }
}
