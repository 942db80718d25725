using Clovers.Monitor.Client.Trends;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Trends;

public sealed class LiveTrendChartTests
{
    private static ChannelUpdate Update(string channel, int second) =>
        new(channel, second, Now.AddSeconds(second), Quality.Good, ChannelStatus.Ok);

    [Fact]
    public void Enqueue_UnwatchedChannel_QueuesNothing()
    {
        var trend = new LiveTrendChart();
        trend.Watch(["pmt.sd1a.current"]);

        trend.Enqueue([Update("pmt.sd2a.current", 1), Update("pmt.sd1a.current", 2)]);

        Assert.Equal(1, trend.PendingCount);
    }

    [Fact]
    public void Enqueue_BeforeAnyWatch_QueuesNothing()
    {
        var trend = new LiveTrendChart();

        trend.Enqueue([Update("pmt.sd1a.current", 1)]);

        Assert.Equal(0, trend.PendingCount);
    }

    [Fact]
    public void Enqueue_MoreThanTheLimitBetweenFlushes_KeepsTheLimit()
    {
        var trend = new LiveTrendChart();
        trend.Watch(["veto.rate"]);

        trend.Enqueue([.. Enumerable.Range(0, LiveTrendChart.PendingLimit + 50).Select(i => Update("veto.rate", i))]);

        Assert.Equal(LiveTrendChart.PendingLimit, trend.PendingCount);
    }
}
