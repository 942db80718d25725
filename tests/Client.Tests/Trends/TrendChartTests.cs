using Clovers.Monitor.Client.Trends;
using Clovers.Monitor.Shared.Api;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Clovers.Monitor.Client.Tests.Trends;

public sealed class TrendChartTests
{
    private static readonly TrendChannel Temperature = new("cryo.temp.sd1", "K", "crystal 1");
    private static readonly TrendChannel Level = new("cryo.ln2.level", "%", "LN2");

    [Fact]
    public void Traces_Channel_RangeStrokeFromMinToMaxThenTheMean()
    {
        var points = new TrendPoints();
        points.Add("2026-11-26 12:00:00.000", 1, 3, 2);

        var traces = TrendChart.Traces(0, Temperature, points, ["K"]).Cast<Scatter>().ToList();

        Assert.Equal(2, traces.Count);
        Assert.Equal(["2026-11-26 12:00:00.000", "2026-11-26 12:00:00.000", null], traces[0].X);
        Assert.Equal([1.0, 3.0, null], traces[0].Y);
        Assert.Equal([2.0], traces[1].Y);
        Assert.All(traces, trace => Assert.False(trace.ConnectGaps));
    }

    [Fact]
    public void Traces_GapBetweenBuckets_LeavesTheRangeEmptyThere()
    {
        var points = new TrendPoints();
        points.Add("2026-11-26 12:00:00.000", 1, 3, 2);
        points.AddGap("2026-11-26 12:30:00.000");
        points.Add("2026-11-26 13:00:00.000", 4, 6, 5);

        var range = TrendChart.Traces(0, Temperature, points, ["K"]).Cast<Scatter>().First();

        // Each stroke ends with a pen lift, so nothing is drawn between 12:00 and 13:00.
        Assert.Equal([1.0, 3.0, null, 4.0, 6.0, null], range.Y);
        Assert.False(range.ConnectGaps);
    }

    [Fact]
    public void Traces_SecondUnit_GoesOnTheRightAxis()
    {
        var traces = TrendChart.Traces(1, Level, new TrendPoints(), ["K", "%"]).Cast<Scatter>();

        Assert.All(traces, trace => Assert.Equal("y2", trace.YAxis));
    }

    [Fact]
    public void TraceIndices_SecondChannel_AreItsTwoTraces()
    {
        Assert.Equal(2, TrendChart.RangeTraceIndex(1));
        Assert.Equal(3, TrendChart.MeanTraceIndex(1));
    }

    [Fact]
    public void AxisUnits_RepeatedUnits_ListsEachOnceInOrder()
    {
        var units = TrendChart.AxisUnits([Temperature, Level, new TrendChannel("cryo.temp.sd2", "K", "")]);

        Assert.Equal(["K", "%"], units);
    }

    [Fact]
    public void Traces_ThirdUnit_SharesTheLeftAxisWhoseTitleNamesIt()
    {
        var traces = TrendChart.Traces(2, new TrendChannel("beam.power", "kW", ""), new TrendPoints(), ["K", "%", "kW"]).Cast<Scatter>();

        Assert.All(traces, trace => Assert.Equal("y", trace.YAxis));
        Assert.Equal("K, kW", TrendChart.LeftAxisTitle(["K", "%", "kW"]));
    }

    [Fact]
    public void Draw_TwoUnits_ReplacesTheTracesAndPutsTheSecondUnitOnTheRightAxis()
    {
        var from = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        ChannelHistory History(string channel, string unit) =>
            new(channel, unit, from, from.AddMinutes(20), 600, [new HistoryBucket(from, 1, 3, 2, 2, 5), new HistoryBucket(from.AddMinutes(10), 4, 6, 5, 5, 5)]);
        List<ITrace> traces = [new Scatter { Name = "stale" }];
        var layout = TrendChart.Layout([], "Time");

        var series = TrendChart.Draw(traces, layout, [History(Temperature.Id, "K"), History(Level.Id, "%")], [Temperature, Level], TimeZoneInfo.Utc, "Time (UTC)");

        Assert.Equal(2, series.Count);
        Assert.Equal(["y", "y", "y2", "y2"], traces.Cast<Scatter>().Select(static t => t.YAxis));
        Assert.Equal(2, layout.YAxis.Count);
        Assert.Equal("%", layout.YAxis[1].Title.Text);
    }
}
