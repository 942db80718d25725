using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Shared.Live;

/// <summary>Latest known state of one channel, as the REST API and the hub hand it out.</summary>
public sealed record ChannelState(
    string Id,
    string AgentId,
    string Unit,
    string Description,
    ChannelGroup Group,
    Band Nominal,
    Band? Warn,
    Band? Alarm,
    double? Value,
    DateTimeOffset? Timestamp,
    Quality? Quality,
    ChannelStatus Status);

/// <summary>A change of one channel pushed to subscribed browsers.</summary>
public sealed record ChannelUpdate(
    string Id,
    double Value,
    DateTimeOffset Timestamp,
    Quality Quality,
    ChannelStatus Status);

/// <summary>An agent as the registry sees it.</summary>
public sealed record AgentInfo(
    string Id,
    AgentState State,
    DateTimeOffset? LastSeen,
    string? Version,
    int ChannelCount,
    bool Simulated);

/// <summary>
/// What a subscription answers first: every channel and agent as they are now, stamped with the
/// server time. Deltas that follow carry later changes only.
/// </summary>
public sealed record LiveSnapshot(
    DateTimeOffset ServerTime,
    bool Simulation,
    IReadOnlyList<ChannelState> Channels,
    IReadOnlyList<AgentInfo> Agents)
{
    /// <summary>Every alarm that is not normal, as it is now; <c>AlarmsUpdated</c> pushes carry later changes.</summary>
    public IReadOnlyList<AlarmView> Alarms { get; init; } = [];
}
