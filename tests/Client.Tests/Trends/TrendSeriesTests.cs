using Clovers.Monitor.Client.Trends;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Tests.Trends;

public sealed class TrendSeriesTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Width = TimeSpan.FromSeconds(10);

    private static HistoryBucket Filled(int index, double mean) =>
        new(From + Width * index, mean - 1, mean + 1, mean, mean, 3);

    private static HistoryBucket Empty(int index) => new(From + Width * index, null, null, null, null, 0);

    /// <summary>60 buckets of 10 s; <paramref name="filled"/> says which hold data.</summary>
    private static ChannelHistory History(Func<int, bool> filled) =>
        new("cryo.ln2.level", "%", From, From + Width * 60, Width.TotalSeconds,
            [.. Enumerable.Range(0, 60).Select(i => filled(i) ? Filled(i, 70) : Empty(i))]);

    private static TrendSeries Series(ChannelHistory history, out TrendPoints points) =>
        TrendSeries.FromHistory(history, TimeZoneInfo.Utc, out points);

    [Fact]
    public void FromHistory_EveryBucketFilled_OnePointPerBucketAtItsCentre()
    {
        Series(History(_ => true), out var points);

        Assert.Equal(60, points.Count);
        Assert.Equal("2026-11-26 12:00:05.000", points.X[0]);
        Assert.Equal(69.0, points.Min[0]);
        Assert.Equal(71.0, points.Max[0]);
        Assert.Equal(70.0, points.Mean[0]);
    }

    [Fact]
    public void FromHistory_SlowChannelLeavesEveryOtherBucketEmpty_DrawsNoGap()
    {
        Series(History(i => i % 2 == 0), out var points);

        Assert.DoesNotContain(null, points.Mean);
        Assert.Equal(30, points.Count);
    }

    [Fact]
    public void FromHistory_LongSilence_BreaksTheLineOnce()
    {
        Series(History(i => i is < 20 or >= 40), out var points);

        Assert.Single(points.Mean, value => value is null);
        Assert.Equal(41, points.Count);
    }

    [Fact]
    public void FromHistory_LongSilence_BandBridgesTheGapWithoutNulls()
    {
        Series(History(i => i is < 20 or >= 40), out var points);

        Assert.Equal(40, points.BandX.Count);
        Assert.DoesNotContain(null, points.Min);
        Assert.DoesNotContain(null, points.Max);
    }

    [Fact]
    public void TakeCompleted_ReadingsInOneBucket_GivesTheirMinMaxAndMeanOnceTheBucketEnds()
    {
        var series = Series(History(_ => true), out _);
        var liveStart = From + Width * 60;
        series.Add(liveStart.AddSeconds(1), 4);
        series.Add(liveStart.AddSeconds(2), 8);
        series.Add(liveStart.AddSeconds(3), 6);

        var points = series.TakeCompleted(liveStart + Width);

        Assert.Equal(1, points.Count);
        Assert.Equal(4.0, points.Min[0]);
        Assert.Equal(8.0, points.Max[0]);
        Assert.Equal(6.0, points.Mean[0]);
    }

    [Fact]
    public void TakeCompleted_BucketStillOpen_GivesNothing()
    {
        var series = Series(History(_ => true), out _);
        var liveStart = From + Width * 60;
        series.Add(liveStart.AddSeconds(1), 4);

        Assert.Equal(0, series.TakeCompleted(liveStart.AddSeconds(5)).Count);
    }

    [Fact]
    public void TakeCompleted_CalledTwice_HandsEachBucketOutOnce()
    {
        var series = Series(History(_ => true), out _);
        var liveStart = From + Width * 60;
        series.Add(liveStart.AddSeconds(1), 4);
        series.TakeCompleted(liveStart + Width);

        Assert.Equal(0, series.TakeCompleted(liveStart + Width * 2).Count);
    }

    [Fact]
    public void Add_ReadingAlreadyCoveredByHistory_IsSkipped()
    {
        var series = Series(History(_ => true), out _);
        var liveStart = From + Width * 60;
        series.Add(liveStart.AddSeconds(-1), 1000);

        Assert.Equal(0, series.TakeCompleted(liveStart + Width * 3).Count);
    }

    [Fact]
    public void Add_ReadingsSpanningSeveralBuckets_ClosesEachInOrder()
    {
        var series = Series(History(_ => true), out _);
        var liveStart = From + Width * 60;
        series.Add(liveStart.AddSeconds(1), 1);
        series.Add(liveStart.AddSeconds(11), 2);
        series.Add(liveStart.AddSeconds(21), 3);

        var points = series.TakeCompleted(liveStart + Width * 3);

        Assert.Equal([1.0, 2.0, 3.0], points.Mean.Cast<double>());
    }

    [Fact]
    public void Add_AfterLongSilence_BreaksTheLineBeforeTheNewPoint()
    {
        var series = Series(History(_ => true), out _);
        var liveStart = From + Width * 60;
        series.Add(liveStart.AddSeconds(300), 5);

        var points = series.TakeCompleted(liveStart + TimeSpan.FromSeconds(310));

        Assert.Equal([null, 5.0], points.Mean);
    }

    [Fact]
    public void Add_ReadingFarBeyondTheWindow_AsksForReload()
    {
        var series = Series(History(_ => true), out _);

        series.Add(From + TimeSpan.FromDays(2), 5);

        Assert.True(series.NeedsReload);
    }

    [Fact]
    public void Capacity_IsAboutOneWindowOfPoints()
    {
        var series = Series(History(_ => true), out _);

        Assert.InRange(series.Capacity, 60, 100);
    }

    [Fact]
    public void FormatX_OtherZone_WritesLocalWallClock()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");
        var series = TrendSeries.FromHistory(History(_ => true), zone, out _);

        Assert.Equal("2026-11-26 20:00:00.000", series.FormatX(From));
    }
}
