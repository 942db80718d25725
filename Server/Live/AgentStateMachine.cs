using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Live;

/// <summary>
/// What the server knows of one agent. Online after a birth or any reading; stale when silent
/// for several heartbeats; offline on its last will, a clean goodbye, or long silence.
/// </summary>
public sealed class AgentStateMachine
{
    public AgentStateMachine(string agentId) => AgentId = agentId;

    public string AgentId { get; }

    public DateTimeOffset? LastSeen { get; private set; }

    public string? Version { get; private set; }

    public int ChannelCount { get; private set; }

    public bool Simulated { get; private set; }

    public double HeartbeatSeconds { get; private set; } = 5;

    /// <summary>The state last told to listeners, so that only changes are pushed.</summary>
    public AgentState? LastReportedState { get; set; }

    private bool _declaredOffline = true;

    public void OnStatus(AgentStatusMessage status, DateTimeOffset receivedAt)
    {
        if (status.State == AgentLifecycle.Online)
        {
            _declaredOffline = false;
            LastSeen = receivedAt;
            Version = status.Version;
            ChannelCount = status.Channels.Count;
            Simulated = status.Simulated;
            HeartbeatSeconds = status.HeartbeatSeconds;
        }
        else
        {
            _declaredOffline = true;
        }
    }

    /// <summary>Any accepted message proves the agent alive, even if its birth was missed.</summary>
    public void OnSeen(DateTimeOffset receivedAt)
    {
        _declaredOffline = false;
        LastSeen = receivedAt;
    }

    public AgentState StateAt(DateTimeOffset now, LiveOptions options)
    {
        if (_declaredOffline || LastSeen is not { } seen)
        {
            return AgentState.Offline;
        }

        var silence = now - seen;
        if (silence > TimeSpan.FromSeconds(options.AgentOfflineSeconds))
        {
            return AgentState.Offline;
        }

        var staleAfter = Math.Max(options.MinStaleSeconds, HeartbeatSeconds * options.StaleAfterPeriods);
        return silence > TimeSpan.FromSeconds(staleAfter) ? AgentState.Stale : AgentState.Online;
    }

    public AgentInfo ToInfo(DateTimeOffset now, LiveOptions options) =>
        new(AgentId, StateAt(now, options), LastSeen, Version, ChannelCount, Simulated);
}
