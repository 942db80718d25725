using System.Collections.Immutable;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Live;

namespace Clovers.Monitor.Client.Live;

/// <summary>
/// The latest state of channels, agents and alarms, built from a snapshot and the deltas that follow.
/// Readers get immutable maps, so a render never sees a half-applied batch.
/// </summary>
public sealed class LiveState
{
    public ImmutableDictionary<string, ChannelState> Channels { get; private set; } =
        ImmutableDictionary.Create<string, ChannelState>(StringComparer.Ordinal);

    public ImmutableDictionary<string, AgentInfo> Agents { get; private set; } =
        ImmutableDictionary.Create<string, AgentInfo>(StringComparer.Ordinal);

    /// <summary>Alarms that are not normal, by rule id.</summary>
    public ImmutableDictionary<string, AlarmView> Alarms { get; private set; } =
        ImmutableDictionary.Create<string, AlarmView>(StringComparer.Ordinal);

    public bool SnapshotSimulation { get; private set; }

    public bool AnyAgentSimulated => Agents.Values.Any(static agent => agent.Simulated);

    /// <summary>
    /// Replaces everything with the snapshot. A value newer than the snapshot's is kept: the
    /// server registers a subscriber before it reads the snapshot, so a delta may overtake it.
    /// </summary>
    public void ApplySnapshot(LiveSnapshot snapshot)
    {
        SnapshotSimulation = snapshot.Simulation;
        ReplaceChannels(snapshot.Channels);
        Agents = snapshot.Agents.ToImmutableDictionary(static agent => agent.Id, StringComparer.Ordinal);
        var alarms = ImmutableDictionary.CreateBuilder<string, AlarmView>(StringComparer.Ordinal);
        foreach (var alarm in snapshot.Alarms)
        {
            if (alarm.State != AlarmState.Normal)
            {
                alarms[alarm.RuleId] = alarm;
            }
        }

        Alarms = alarms.ToImmutable();
    }

    /// <summary>
    /// Applies pushed alarm changes: a normal alarm has cleared and goes. A change older than the
    /// known state is ignored, as one that raced the snapshot may be.
    /// </summary>
    public void ApplyAlarms(IReadOnlyList<AlarmView> alarms)
    {
        var builder = Alarms.ToBuilder();
        foreach (var alarm in alarms)
        {
            if (builder.TryGetValue(alarm.RuleId, out var known) && known.Since > alarm.Since)
            {
                continue;
            }

            if (alarm.State == AlarmState.Normal)
            {
                builder.Remove(alarm.RuleId);
            }
            else
            {
                builder[alarm.RuleId] = alarm;
            }
        }

        Alarms = builder.ToImmutable();
    }

    /// <summary>Replaces the channel list with a complete one (from the REST API), keeping newer values.</summary>
    public void ReplaceChannels(IEnumerable<ChannelState> channels)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, ChannelState>(StringComparer.Ordinal);
        foreach (var channel in channels)
        {
            builder[channel.Id] = Channels.TryGetValue(channel.Id, out var known) && IsNewer(known.Timestamp, channel.Timestamp)
                ? channel with { Value = known.Value, Timestamp = known.Timestamp, Quality = known.Quality, Status = known.Status }
                : channel;
        }

        Channels = builder.ToImmutable();
    }

    /// <summary>Applies pushed values; returns false when some channel is not known yet (its metadata is missing).</summary>
    public bool ApplyChannelUpdates(IReadOnlyList<ChannelUpdate> updates)
    {
        var allKnown = true;
        var builder = Channels.ToBuilder();
        foreach (var update in updates)
        {
            if (!builder.TryGetValue(update.Id, out var known))
            {
                allKnown = false;
                continue;
            }

            if (IsNewer(known.Timestamp, update.Timestamp))
            {
                continue;
            }

            builder[update.Id] = known with
            {
                Value = update.Value,
                Timestamp = update.Timestamp,
                Quality = update.Quality,
                Status = update.Status,
            };
        }

        Channels = builder.ToImmutable();
        return allKnown;
    }

    public void ApplyStatuses(IReadOnlyList<ChannelStatusChange> changes)
    {
        var builder = Channels.ToBuilder();
        foreach (var change in changes)
        {
            if (builder.TryGetValue(change.Id, out var known))
            {
                builder[change.Id] = known with { Status = change.Status };
            }
        }

        Channels = builder.ToImmutable();
    }

    /// <summary>Applies agent changes; returns true when the channel list may have changed with them.</summary>
    public bool ApplyAgents(IReadOnlyList<AgentInfo> agents)
    {
        var channelsMayHaveChanged = false;
        var builder = Agents.ToBuilder();
        foreach (var agent in agents)
        {
            if (!builder.TryGetValue(agent.Id, out var known) || known.ChannelCount != agent.ChannelCount)
            {
                channelsMayHaveChanged = true;
            }

            builder[agent.Id] = agent;
        }

        Agents = builder.ToImmutable();
        return channelsMayHaveChanged;
    }

    private static bool IsNewer(DateTimeOffset? known, DateTimeOffset? incoming) =>
        known is { } k && (incoming is not { } i || k > i);
}
