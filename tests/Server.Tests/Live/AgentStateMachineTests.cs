using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Live;

public sealed class AgentStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);
    private static readonly LiveOptions Options = new() { StaleAfterPeriods = 3, MinStaleSeconds = 10, AgentOfflineSeconds = 120 };
    private readonly AgentStateMachine _agent = new("platform-1");

    [Fact]
    public void StateAt_NeverHeardOf_IsOffline() => Assert.Equal(AgentState.Offline, _agent.StateAt(T0, Options));

    [Fact]
    public void StateAt_JustBorn_IsOnline()
    {
        _agent.OnStatus(Birth(heartbeatSeconds: 5), T0);

        Assert.Equal(AgentState.Online, _agent.StateAt(T0.AddSeconds(5), Options));
    }

    [Fact]
    public void StateAt_SilentForThreeHeartbeats_IsStale()
    {
        _agent.OnStatus(Birth(heartbeatSeconds: 5), T0);

        Assert.Equal(AgentState.Stale, _agent.StateAt(T0.AddSeconds(16), Options));
    }

    [Fact]
    public void StateAt_ShortHeartbeat_StaleNoSoonerThanTheFloor()
    {
        _agent.OnStatus(Birth(heartbeatSeconds: 1), T0);

        Assert.Equal(AgentState.Online, _agent.StateAt(T0.AddSeconds(9), Options));
    }

    [Fact]
    public void StateAt_SilentPastOfflineTimeout_IsOffline()
    {
        _agent.OnStatus(Birth(heartbeatSeconds: 5), T0);

        Assert.Equal(AgentState.Offline, _agent.StateAt(T0.AddSeconds(121), Options));
    }

    [Fact]
    public void OnStatus_LastWill_IsOfflineAtOnce()
    {
        _agent.OnStatus(Birth(heartbeatSeconds: 5), T0);
        _agent.OnStatus(new AgentStatusMessage(1, "platform-1", AgentLifecycle.Offline, T0), T0.AddSeconds(1));

        Assert.Equal(AgentState.Offline, _agent.StateAt(T0.AddSeconds(1), Options));
    }

    [Fact]
    public void OnSeen_ReadingsAfterStale_BackOnline()
    {
        _agent.OnStatus(Birth(heartbeatSeconds: 5), T0);
        _agent.OnSeen(T0.AddSeconds(30));

        Assert.Equal(AgentState.Online, _agent.StateAt(T0.AddSeconds(31), Options));
    }

    [Fact]
    public void ToInfo_CarriesVersionAndChannelCount()
    {
        _agent.OnStatus(Birth(heartbeatSeconds: 5), T0);

        var info = _agent.ToInfo(T0, Options);

        Assert.Equal("1.2.3", info.Version);
        Assert.Equal(1, info.ChannelCount);
        Assert.True(info.Simulated);
    }

    private static AgentStatusMessage Birth(double heartbeatSeconds) =>
        new(1, "platform-1", AgentLifecycle.Online, T0)
        {
            HeartbeatSeconds = heartbeatSeconds,
            Version = "1.2.3",
            Simulated = true,
            Channels = [new ChannelDescriptor("beam.power", "kW", "Beam power", ChannelGroup.Beam, new Band(126, 150), 1)],
        };
}
