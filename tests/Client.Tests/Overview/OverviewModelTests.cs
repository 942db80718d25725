using Clovers.Monitor.Client.Overview;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Overview;

public sealed class OverviewModelTests
{
    private static SubsystemTile Tile(OverviewSummary summary, Subsystem subsystem) =>
        summary.Tiles.Single(tile => tile.Subsystem == subsystem);

    private static KeyFigure Figure(OverviewSummary summary, string key) =>
        summary.Tiles.SelectMany(tile => tile.Figures).Single(figure => figure.Key == key);

    private static ChannelState[] PlatformWith(ChannelState replacement) =>
        [.. Platform().Where(c => c.Id != replacement.Id), replacement];

    [Fact]
    public void Build_NominalPlatform_EveryChannelTileIsOk()
    {
        var summary = OverviewModel.Build(Platform(), [Agent("platform")]);

        Assert.All(summary.Tiles, tile => Assert.Equal(ChannelStatus.Ok, tile.Status));
    }

    [Theory]
    [InlineData(ChannelStatus.Warn)]
    [InlineData(ChannelStatus.Stale)]
    [InlineData(ChannelStatus.Alarm)]
    public void Build_OneCryogenicsChannelNotOk_CryogenicsTileTakesItsStatus(ChannelStatus status)
    {
        var channels = PlatformWith(Channel("cryo.temp.sd2", ChannelGroup.Cryogenics, 79, status, "K"));

        var summary = OverviewModel.Build(channels, [Agent("platform")]);

        Assert.Equal(status, Tile(summary, Subsystem.Cryogenics).Status);
        Assert.Equal(ChannelStatus.Ok, Tile(summary, Subsystem.Pmt).Status);
    }

    [Fact]
    public void Build_WarnStaleAndAlarmInOneGroup_WorstStatusWins()
    {
        var channels = new[]
        {
            Channel("pmt.sd1a.darkrate", ChannelGroup.Pmt, 100, ChannelStatus.Warn),
            Channel("pmt.sd1b.darkrate", ChannelGroup.Pmt, 100, ChannelStatus.Alarm),
            Channel("pmt.sd2a.darkrate", ChannelGroup.Pmt, 100, ChannelStatus.Stale),
        };

        var summary = OverviewModel.Build(channels, []);

        Assert.Equal(ChannelStatus.Alarm, Tile(summary, Subsystem.Pmt).Status);
    }

    [Fact]
    public void Build_GroupWithoutChannels_TileIsUnknown()
    {
        var summary = OverviewModel.Build([Channel("beam.power", ChannelGroup.Beam, 140)], []);

        Assert.Equal(ChannelStatus.Unknown, Tile(summary, Subsystem.Veto).Status);
    }

    [Fact]
    public void Build_ChannelOfStaleAgentStillReportedOk_CountsAsStale()
    {
        var channels = new[] { Channel("veto.rate", ChannelGroup.Veto, 180, agentId: "veto-pc") };

        var summary = OverviewModel.Build(channels, [Agent("veto-pc", AgentState.Stale)]);

        Assert.Equal(ChannelStatus.Stale, Tile(summary, Subsystem.Veto).Status);
    }

    [Fact]
    public void Build_DaqChannelInAlarm_BeamTileShowsAlarm()
    {
        var channels = PlatformWith(Channel("daq.trigger.rate", ChannelGroup.Daq, 0, ChannelStatus.Alarm, "Hz"));

        var summary = OverviewModel.Build(channels, [Agent("platform")]);

        Assert.Equal(ChannelStatus.Alarm, Tile(summary, Subsystem.Beam).Status);
    }

    [Fact]
    public void Build_HvReadbacksAndSetpoints_ReportsLargestAbsoluteDeviationAndItsPmt()
    {
        var summary = OverviewModel.Build(Platform(), []);

        var figure = Figure(summary, OverviewModel.HvDeviationKey);
        Assert.Equal(1.5, figure.Value!.Value, 6);
        Assert.Equal("sd1b", figure.Detail);
        Assert.Equal("V", figure.Unit);
    }

    [Fact]
    public void Build_HvReadbackWithoutSetpointChannel_MeasuresFromNominalCentre()
    {
        var channels = new[] { Channel("pmt.sd3a.hv.read", ChannelGroup.Pmt, 1507, unit: "V", nominal: new Band(1498, 1502)) };

        var summary = OverviewModel.Build(channels, []);

        Assert.Equal(7, Figure(summary, OverviewModel.HvDeviationKey).Value!.Value, 6);
    }

    [Fact]
    public void Build_DarkRates_RangeRunsFromLowestToHighest()
    {
        var summary = OverviewModel.Build(Platform(), []);

        var figure = Figure(summary, OverviewModel.DarkRateRangeKey);
        Assert.Equal(104, figure.Value);
        Assert.Equal(121, figure.UpperValue);
        Assert.Equal("104.0–121.0 Hz", figure.Text);
    }

    [Fact]
    public void Build_CrystalTemperatures_ReportsWarmestCrystal()
    {
        var summary = OverviewModel.Build(Platform(), []);

        var figure = Figure(summary, OverviewModel.WarmestCrystalKey);
        Assert.Equal(77.42, figure.Value);
        Assert.Equal("sd2", figure.Detail);
    }

    [Fact]
    public void Build_ChannelMissing_KeyFigureShowsDash()
    {
        var summary = OverviewModel.Build([], []);

        Assert.Equal("—", Figure(summary, OverviewModel.Ln2LevelChannel).Text);
    }

    [Fact]
    public void Build_AgentOffline_AgentsTileIsAlarm()
    {
        var summary = OverviewModel.Build(Platform(), [Agent("platform"), Agent("daq", AgentState.Offline)]);

        Assert.Equal(ChannelStatus.Alarm, Tile(summary, Subsystem.Agents).Status);
        Assert.Equal("1 of 2", Figure(summary, OverviewModel.AgentsOnlineKey).Text);
    }

    [Fact]
    public void Build_AgentStale_AgentsTileIsStale()
    {
        var summary = OverviewModel.Build(Platform(), [Agent("platform"), Agent("daq", AgentState.Stale)]);

        Assert.Equal(ChannelStatus.Stale, Tile(summary, Subsystem.Agents).Status);
    }

    [Fact]
    public void Build_NoAgents_AgentsTileIsUnknown()
    {
        var summary = OverviewModel.Build(Platform(), []);

        Assert.Equal(ChannelStatus.Unknown, Tile(summary, Subsystem.Agents).Status);
    }

    [Fact]
    public void Build_Channels_AreGroupedInGroupOrderAndSortedById()
    {
        var summary = OverviewModel.Build(Platform(), []);

        Assert.Equal(
            [ChannelGroup.Cryogenics, ChannelGroup.Pmt, ChannelGroup.Beam, ChannelGroup.Veto, ChannelGroup.Daq],
            summary.Groups.Select(group => group.Group));
        Assert.Equal(["cryo.ln2.level", "cryo.temp.sd1", "cryo.temp.sd2"], summary.Groups[0].Channels.Select(c => c.Id));
    }

    [Fact]
    public void Build_OneTileInAlarm_OverallIsAlarm()
    {
        var channels = PlatformWith(Channel("cryo.ln2.level", ChannelGroup.Cryogenics, 20, ChannelStatus.Alarm, "%"));

        var summary = OverviewModel.Build(channels, [Agent("platform")]);

        Assert.Equal(ChannelStatus.Alarm, summary.Overall);
    }
}
