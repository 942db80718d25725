using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Live;

public sealed class LiveStateTests
{
    private static LiveState WithSnapshot(params ChannelState[] channels)
    {
        var state = new LiveState();
        state.ApplySnapshot(new LiveSnapshot(Now, false, channels, [Agent("platform")]));
        return state;
    }

    [Fact]
    public void ApplyChannelUpdates_KnownChannel_TakesValueAndStatus()
    {
        var state = WithSnapshot(Channel("beam.power", ChannelGroup.Beam, 140));

        var allKnown = state.ApplyChannelUpdates([new ChannelUpdate("beam.power", 0, Now.AddSeconds(1), Quality.Good, ChannelStatus.Warn)]);

        Assert.True(allKnown);
        Assert.Equal(0, state.Channels["beam.power"].Value);
        Assert.Equal(ChannelStatus.Warn, state.Channels["beam.power"].Status);
    }

    [Fact]
    public void ApplyChannelUpdates_OlderThanKnownValue_IsIgnored()
    {
        var state = WithSnapshot(Channel("beam.power", ChannelGroup.Beam, 140));

        state.ApplyChannelUpdates([new ChannelUpdate("beam.power", 10, Now.AddSeconds(-5), Quality.Good, ChannelStatus.Ok)]);

        Assert.Equal(140, state.Channels["beam.power"].Value);
    }

    [Fact]
    public void ApplyChannelUpdates_UnknownChannel_ReportsMissingMetadata()
    {
        var state = WithSnapshot(Channel("beam.power", ChannelGroup.Beam, 140));

        var allKnown = state.ApplyChannelUpdates([new ChannelUpdate("veto.rate", 180, Now, Quality.Good, ChannelStatus.Ok)]);

        Assert.False(allKnown);
        Assert.False(state.Channels.ContainsKey("veto.rate"));
    }

    [Fact]
    public void ApplySnapshot_DeltaNewerThanSnapshot_KeepsDeltaValue()
    {
        var state = WithSnapshot(Channel("beam.power", ChannelGroup.Beam, 140));
        state.ApplyChannelUpdates([new ChannelUpdate("beam.power", 120, Now.AddSeconds(10), Quality.Good, ChannelStatus.Ok)]);

        state.ApplySnapshot(new LiveSnapshot(Now, false, [Channel("beam.power", ChannelGroup.Beam, 130, timestamp: Now.AddSeconds(5))], []));

        Assert.Equal(120, state.Channels["beam.power"].Value);
    }

    [Fact]
    public void ApplySnapshot_ChannelMissingFromNewSnapshot_IsDropped()
    {
        var state = WithSnapshot(Channel("beam.power", ChannelGroup.Beam, 140), Channel("veto.rate", ChannelGroup.Veto, 180));

        state.ApplySnapshot(new LiveSnapshot(Now, false, [Channel("beam.power", ChannelGroup.Beam, 140)], []));

        Assert.Equal(["beam.power"], state.Channels.Keys);
    }

    [Fact]
    public void ApplyStatuses_KnownChannel_ChangesStatusAndKeepsValue()
    {
        var state = WithSnapshot(Channel("veto.rate", ChannelGroup.Veto, 180));

        state.ApplyStatuses([new ChannelStatusChange("veto.rate", ChannelStatus.Stale)]);

        Assert.Equal(ChannelStatus.Stale, state.Channels["veto.rate"].Status);
        Assert.Equal(180, state.Channels["veto.rate"].Value);
    }

    [Fact]
    public void ApplyAgents_NewAgent_SaysChannelListMayHaveChanged()
    {
        var state = WithSnapshot();

        Assert.True(state.ApplyAgents([Agent("daq")]));
    }

    [Fact]
    public void ApplyAgents_KnownAgentChangesStateOnly_ChannelListUnchanged()
    {
        var state = WithSnapshot();

        var mayHaveChanged = state.ApplyAgents([Agent("platform", AgentState.Stale)]);

        Assert.False(mayHaveChanged);
        Assert.Equal(AgentState.Stale, state.Agents["platform"].State);
    }

    [Fact]
    public void AnyAgentSimulated_SimulatedAgentJoins_IsTrue()
    {
        var state = WithSnapshot();

        state.ApplyAgents([Agent("sim", simulated: true)]);

        Assert.True(state.AnyAgentSimulated);
    }
}
