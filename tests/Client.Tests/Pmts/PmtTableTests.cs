using Clovers.Monitor.Client.Pmts;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Client.Tests.Pmts;

public sealed class PmtTableTests
{
    private static readonly Dictionary<string, DarkRateBaseline> NoBaselines = new(StringComparer.Ordinal);

    private static Dictionary<string, ChannelState> Pmt(string pmt, double set, double read, double rate, double? gain = null)
    {
        var channels = new List<ChannelState>
        {
            TestChannels.Channel(PmtTable.HvSet(pmt), ChannelGroup.Pmt, set, unit: "V"),
            TestChannels.Channel(PmtTable.HvRead(pmt), ChannelGroup.Pmt, read, unit: "V"),
            TestChannels.Channel(PmtTable.Current(pmt), ChannelGroup.Pmt, read / 15, unit: "µA"),
            TestChannels.Channel(PmtTable.DarkRate(pmt), ChannelGroup.Pmt, rate, unit: "Hz"),
        };
        if (gain is { } g)
        {
            channels.Add(TestChannels.Channel(PmtTable.Gain(pmt), ChannelGroup.Pmt, g, unit: "pC"));
        }

        return channels.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    [Fact]
    public void Build_NominalPmt_IsOkWithItsDeviation()
    {
        var row = PmtTable.Build(Pmt("sd1a", 1500, 1500.4, 110), NoBaselines)[0];

        Assert.Equal((ChannelStatus.Ok, false), (row.Status, row.IsOff));
        Assert.Equal(0.4, row.Deviation!.Value, precision: 6);
    }

    [Fact]
    public void Build_ReadbackTwentyFiveVoltsOff_Alarm()
    {
        var row = PmtTable.Build(Pmt("sd1a", 1500, 1475, 110), NoBaselines)[0];

        Assert.Equal(ChannelStatus.Alarm, row.Status);
        Assert.Contains(row.Problems, p => p.Contains("-25.0 V", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_DarkRateThreeTimesItsMedian_Warn()
    {
        var baselines = new Dictionary<string, DarkRateBaseline>(StringComparer.Ordinal) { ["sd1a"] = new(100, 95, 105) };

        var row = PmtTable.Build(Pmt("sd1a", 1500, 1500, 300), baselines)[0];

        Assert.Equal(ChannelStatus.Warn, row.Status);
    }

    [Fact]
    public void Build_ReadbackOutsideItsBirthBandButOnItsNewSetpoint_IsOk()
    {
        var channels = Pmt("sd1a", 1540, 1540.2, 110);
        channels[PmtTable.HvRead("sd1a")] = channels[PmtTable.HvRead("sd1a")] with { Status = ChannelStatus.Alarm };

        Assert.Equal(ChannelStatus.Ok, PmtTable.Build(channels, NoBaselines)[0].Status);
    }

    [Fact]
    public void Build_StaleReadback_IsOff() =>
        Assert.True(PmtTable.Build(WithStatus(Pmt("sd1a", 1500, 1500, 110), PmtTable.HvRead("sd1a"), ChannelStatus.Stale), NoBaselines)[0].IsOff);

    [Fact]
    public void Build_DarkRateChannelInAlarm_IsOff() =>
        Assert.Equal(ChannelStatus.Alarm, PmtTable.Build(WithStatus(Pmt("sd1a", 1500, 1500, 600), PmtTable.DarkRate("sd1a"), ChannelStatus.Alarm), NoBaselines)[0].Status);

    private static Dictionary<string, ChannelState> WithStatus(Dictionary<string, ChannelState> channels, string id, ChannelStatus status)
    {
        channels[id] = channels[id] with { Status = status };
        return channels;
    }

    [Fact]
    public void Build_DarkRateZero_AlarmAsDeadChannel() =>
        Assert.Equal(ChannelStatus.Alarm, PmtTable.Build(Pmt("sd1a", 1500, 1500, 0), NoBaselines)[0].Status);

    [Fact]
    public void Build_NoGainChannel_GainIsNull() =>
        Assert.Null(PmtTable.Build(Pmt("sd1a", 1500, 1500, 110), NoBaselines)[0].Gain);

    [Fact]
    public void Build_Always_ListsTheEightPmtsInOrder() =>
        Assert.Equal(["sd1a", "sd1b", "sd2a", "sd2b", "sd3a", "sd3b", "sd4a", "sd4b"], PmtTable.Build(NoBaselinesChannels(), NoBaselines).Select(r => r.Pmt));

    [Fact]
    public void FromMeans_History_MedianAndTenToNinetyPercentBand()
    {
        var baseline = DarkRateBaseline.FromMeans(Enumerable.Range(100, 11).Select(i => (double)i));

        Assert.Equal(new DarkRateBaseline(105, 101, 109), baseline);
    }

    private static Dictionary<string, ChannelState> NoBaselinesChannels() => new(StringComparer.Ordinal);
}
