using Clovers.Monitor.Server.Storage;

namespace Clovers.Monitor.Server.Tests.Storage;

public sealed class BucketPlanTests
{
    private static readonly long T0Ms = TemporaryStore.T0.ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(1, null)]
    [InlineData(5, null)]
    [InlineData(15, null)]
    [InlineData(30, "rollup_10s")]
    [InlineData(60, "rollup_1m")]
    [InlineData(300, "rollup_1m")]
    [InlineData(900, "rollup_1m")]
    [InlineData(1_800, "rollup_10m")]
    [InlineData(3_600, "rollup_1h")]
    [InlineData(10_800, "rollup_1h")]
    [InlineData(86_400, "rollup_1h")]
    public void Create_BucketWidth_UsesCoarsestTierThatDividesIt(int widthSeconds, string? expectedTable)
    {
        var widthMs = widthSeconds * 1_000L;

        var plan = BucketPlan.Create(T0Ms, T0Ms + (10 * widthMs), 10);

        Assert.Equal(widthMs, plan.WidthMs);
        Assert.Equal(expectedTable, plan.Tier?.TableName);
    }

    [Fact]
    public void Create_SourceOnlyHoldsTenSecondBuckets_SkipsWidthsItCannotServe()
    {
        var plan = BucketPlan.Create(T0Ms, T0Ms + 60_000, 10_000, minimumSourceWidthMs: 10_000);

        Assert.Equal(10_000, plan.WidthMs);
        Assert.Equal("rollup_10s", plan.Tier?.TableName);
    }

    [Theory]
    [InlineData(-1_500, 1_000, -2_000)]
    [InlineData(1_500, 1_000, 1_000)]
    [InlineData(-1_000, 1_000, -1_000)]
    public void FloorTo_NegativeAndPositiveValues_FloorsTowardsMinusInfinity(long value, long width, long expected)
    {
        Assert.Equal(expected, BucketPlan.FloorTo(value, width));
    }

    [Fact]
    public void Create_RangeBeforeEpoch_AlignsBucketsToEpochMultiples()
    {
        var plan = BucketPlan.Create(-61_500, -500, 100);

        Assert.Equal(-62_000, plan.StartMs);
        Assert.Equal(0, plan.EndMs);
        Assert.Equal(62, plan.BucketCount);
    }

    [Fact]
    public void Create_SingleBucketAcrossTheEpoch_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => BucketPlan.Create(-1, 1, 1));
    }

    [Fact]
    public void NiceWidths_AreIncreasing()
    {
        Assert.True(BucketPlan.NiceWidthsMs.Zip(BucketPlan.NiceWidthsMs.Skip(1)).All(p => p.First < p.Second));
    }
}
