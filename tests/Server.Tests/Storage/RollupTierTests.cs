using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Storage;

public sealed class RollupTierTests
{
    private const string Temperature = "cryo.dewar.temperature";
    private const string Level = "cryo.dewar.ln2_level";

    private static readonly DateTimeOffset T0 = TemporaryStore.T0;
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(2_400, 30)]
    [InlineData(1_200, 60)]
    [InlineData(300, 300)]
    [InlineData(80, 900)]
    [InlineData(50, 1_800)]
    [InlineData(12, 7_200)]
    [InlineData(1, 86_400)]
    public async Task QueryAsync_FromRollups_EqualsQueryFromRawRows(int maxBuckets, int expectedWidthSeconds)
    {
        await using var temp = new TemporaryStore(o => o.MaxBatchSize = 2_000);
        await WriteIrregularDayAsync(temp);
        var from = T0.AddMinutes(17).AddSeconds(3);
        var to = T0.AddHours(20).AddSeconds(11);

        var rolled = await temp.Store.QueryAsync(Temperature, from, to, maxBuckets, useRollups: true, None);
        var raw = await temp.Store.QueryAsync(Temperature, from, to, maxBuckets, useRollups: false, None);

        Assert.Equal(TimeSpan.FromSeconds(expectedWidthSeconds), rolled.BucketWidth);
        Assert.Equal(raw.Buckets.Count, rolled.Buckets.Count);
        Assert.Equal(rolled.BucketWidth <= TimeSpan.FromHours(2), raw.Buckets.Any(b => b.Count == 0));
        Assert.All(raw.Buckets.Zip(rolled.Buckets), pair => AssertSameBucket(pair.First, pair.Second));
    }

    [Fact]
    public async Task ApplyRetentionAsync_RawPastRetention_DeletesRawRowsAndKeepsRollups()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 7_200, TimeSpan.FromSeconds(1), i => i % 100), None);
        var now = T0.AddDays(31);
        temp.Time.AdjustTime(now);

        var report = await temp.Store.ApplyRetentionAsync(now, None);

        var raw = await temp.Store.QueryAsync(Temperature, T0, T0.AddHours(2), 12, useRollups: false, None);
        var rolled = await temp.Store.QueryAsync(Temperature, T0, T0.AddHours(2), 12, None);
        Assert.Equal(7_200, report.RawRowsDeleted);
        Assert.Equal(0, report.RollupRowsDeleted);
        Assert.All(raw.Buckets, b => Assert.Equal(0, b.Count));
        Assert.All(rolled.Buckets, b => Assert.Equal(600, b.Count));
    }

    [Fact]
    public async Task ApplyRetentionAsync_RawWithinRetention_KeepsEveryRow()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 3_600, TimeSpan.FromSeconds(1), i => i), None);

        var report = await temp.Store.ApplyRetentionAsync(T0.AddDays(29), None);

        var raw = await temp.Store.QueryAsync(Temperature, T0, T0.AddHours(1), 1, useRollups: false, None);
        Assert.Equal(new(0, 0), report);
        Assert.Equal(3_600, Assert.Single(raw.Buckets).Count);
    }

    [Fact]
    public async Task ApplyRetentionAsync_RollupsPastTheirRetention_DeletesThem()
    {
        await using var temp = new TemporaryStore(o =>
        {
            o.TenSecondRollupRetention = TimeSpan.FromDays(60);
            o.OneMinuteRollupRetention = TimeSpan.FromDays(60);
            o.TenMinuteRollupRetention = TimeSpan.FromDays(60);
            o.OneHourRollupRetention = TimeSpan.FromDays(60);
        });
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 3_600, TimeSpan.FromSeconds(1), i => i), None);

        var report = await temp.Store.ApplyRetentionAsync(T0.AddDays(61), None);

        Assert.Equal(new(3_600, 360 + 60 + 6 + 1), report);
    }

    [Fact]
    public async Task QueryAsync_RangePastRawRetention_WidensBucketsToATierThatHoldsIt()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 3_600, TimeSpan.FromSeconds(1), i => i), None);
        var now = T0.AddDays(31);
        temp.Time.AdjustTime(now);
        await temp.Store.ApplyRetentionAsync(now, None);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddHours(1), 10_000, None);

        Assert.Equal(TimeSpan.FromSeconds(10), result.BucketWidth);
        Assert.Equal(3_600, result.Buckets.Sum(b => b.Count));
    }

    [Fact]
    public async Task WriteAsync_ReplacedExtremeValue_DisappearsFromRollups()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(
            TemporaryStore.Series(Temperature, T0, 600, TimeSpan.FromSeconds(1), i => i == 42 ? 500 : 77), None);
        await temp.Store.WriteAsync([new Reading(Temperature, T0.AddSeconds(42), 77)], None);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddHours(1), 1, None);

        Assert.Equal(new HistoryBucket(T0, 77, 77, 77, 77, 600), Assert.Single(result.Buckets));
    }

    private static void AssertSameBucket(HistoryBucket raw, HistoryBucket rolled)
    {
        Assert.Equal(raw.Start, rolled.Start);
        Assert.Equal(raw.Count, rolled.Count);
        Assert.Equal(raw.Min, rolled.Min);
        Assert.Equal(raw.Max, rolled.Max);
        Assert.Equal(raw.Last, rolled.Last);
        if (raw.Mean is null)
        {
            Assert.Null(rolled.Mean);
        }
        else
        {
            // Sums are added in a different order, so the last bits may differ.
            Assert.Equal(raw.Mean.Value, rolled.Mean!.Value, 1e-9);
        }
    }

    /// <summary>
    /// A day of one reading every 0.5–1.5 s with a four-hour gap, written out of order in batches
    /// that overlap, some replaying a timestamp with a new value, plus a second channel.
    /// </summary>
    private static async Task WriteIrregularDayAsync(TemporaryStore temp)
    {
        var random = new Random(42);
        var readings = new List<Reading>();
        for (var t = T0.AddMilliseconds(137); t < T0.AddDays(1); t = t.AddMilliseconds(random.Next(500, 1_500)))
        {
            if (t < T0.AddHours(4) || t >= T0.AddHours(8))
            {
                readings.Add(new Reading(Temperature, t, Math.Round(77 + random.NextDouble(), 3)));
            }
        }

        var replays = readings.Where((_, i) => i % 97 == 0).Select(r => r with { Value = r.Value + 10 - (20 * random.NextDouble()) });
        var batches = readings.Concat(replays)
            .Concat(readings.Where((_, i) => i % 3 == 0).Select(r => r with { Channel = Level, Value = r.Value * 2 }))
            .Chunk(5_000)
            .ToArray();
        random.Shuffle(batches);
        foreach (var batch in batches)
        {
            await temp.Store.WriteAsync(batch, None);
        }
    }
}
