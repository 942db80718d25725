using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Live;

/// <summary>
/// The latest value, time, quality and status of every declared channel, and the state of
/// every agent. Fed by the pipeline; read by the hub and the REST API; changes are handed to
/// the listeners (the hub broadcaster) as they happen. Bounded by the channels agents declare.
/// </summary>
public sealed class LiveStateStore : IIngestStage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChannelEntry> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentStateMachine> _agents = new(StringComparer.Ordinal);
    private readonly LiveOptions _options;
    private readonly TimeProvider _time;
    private readonly ServerIdentity _identity;
    private readonly IReadOnlyList<ILiveChangeListener> _listeners;

    public LiveStateStore(
        IOptions<LiveOptions> options,
        TimeProvider time,
        ServerIdentity identity,
        IEnumerable<ILiveChangeListener> listeners)
    {
        _options = options.Value;
        _time = time;
        _identity = identity;
        _listeners = [.. listeners];
    }

    public string Name => "live-state";

    public int QueueDepth => 0;

    public ValueTask ProcessAsync(IngestItem item, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case AgentStatusChanged status:
                ApplyStatus(status);
                break;
            case AcceptedReadings readings:
                ApplyReadings(readings);
                break;
        }

        return ValueTask.CompletedTask;
    }

    public LiveSnapshot Snapshot()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return new LiveSnapshot(
                now,
                _identity.Simulation,
                [.. _channels.Values.OrderBy(c => c.Descriptor.Id, StringComparer.Ordinal).Select(c => c.ToState())],
                [.. _agents.Values.OrderBy(a => a.AgentId, StringComparer.Ordinal).Select(a => a.ToInfo(now, _options))]);
        }
    }

    public ChannelState? Find(string channelId)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(channelId, out var entry) ? entry.ToState() : null;
        }
    }

    /// <summary>
    /// Re-evaluates statuses that change with time alone (staleness, agents falling silent) and
    /// tells the listeners what changed. Called on a timer.
    /// </summary>
    public void RefreshStatuses()
    {
        var now = _time.GetUtcNow();
        List<ChannelStatusChange>? statusChanges = null;
        List<AgentInfo>? agentChanges = null;
        lock (_gate)
        {
            foreach (var agent in _agents.Values)
            {
                var info = agent.ToInfo(now, _options);
                if (info.State != agent.LastReportedState)
                {
                    agent.LastReportedState = info.State;
                    (agentChanges ??= []).Add(info);
                }
            }

            foreach (var entry in _channels.Values)
            {
                var status = Evaluate(entry, now);
                if (status != entry.Status)
                {
                    entry.Status = status;
                    (statusChanges ??= []).Add(new ChannelStatusChange(entry.Descriptor.Id, status));
                }
            }
        }

        foreach (var listener in _listeners)
        {
            if (agentChanges is not null)
            {
                listener.AgentsChanged(agentChanges);
            }

            if (statusChanges is not null)
            {
                listener.StatusesChanged(statusChanges);
            }
        }
    }

    private void ApplyStatus(AgentStatusChanged change)
    {
        AgentInfo info;
        lock (_gate)
        {
            var agent = GetOrAddAgent(change.AgentId);
            agent.OnStatus(change.Status, change.ReceivedAt);
            if (change.Status.State == AgentLifecycle.Online)
            {
                foreach (var descriptor in change.Status.Channels)
                {
                    if (_channels.TryGetValue(descriptor.Id, out var existing))
                    {
                        existing.Descriptor = descriptor;
                        existing.AgentId = change.AgentId;
                    }
                    else
                    {
                        _channels[descriptor.Id] = new ChannelEntry(change.AgentId, descriptor);
                    }
                }
            }

            info = agent.ToInfo(_time.GetUtcNow(), _options);
            agent.LastReportedState = info.State;
        }

        foreach (var listener in _listeners)
        {
            listener.AgentsChanged([info]);
        }

        RefreshStatuses();
    }

    private void ApplyReadings(AcceptedReadings readings)
    {
        var now = _time.GetUtcNow();
        var updates = new List<ChannelUpdate>(readings.Readings.Count);
        AgentInfo? revived = null;
        lock (_gate)
        {
            var agent = GetOrAddAgent(readings.AgentId);
            var before = agent.LastReportedState;
            agent.OnSeen(readings.ReceivedAt);
            var info = agent.ToInfo(now, _options);
            if (info.State != before)
            {
                agent.LastReportedState = info.State;
                revived = info;
            }

            foreach (var reading in readings.Readings)
            {
                if (!_channels.TryGetValue(reading.Channel, out var entry)
                    || entry.Timestamp is { } latest && reading.Timestamp < latest)
                {
                    continue;
                }

                entry.Value = reading.Value;
                entry.Timestamp = reading.Timestamp;
                entry.Quality = reading.Quality;
                entry.Status = Evaluate(entry, now);
                updates.Add(new ChannelUpdate(reading.Channel, reading.Value, reading.Timestamp, reading.Quality, entry.Status));
            }
        }

        foreach (var listener in _listeners)
        {
            if (revived is not null)
            {
                listener.AgentsChanged([revived]);
            }

            if (updates.Count > 0)
            {
                listener.ChannelsChanged(updates);
            }
        }
    }

    private ChannelStatus Evaluate(ChannelEntry entry, DateTimeOffset now)
    {
        var status = ChannelStatusEvaluator.Evaluate(
            entry.Descriptor,
            entry.Value,
            entry.Quality,
            entry.Timestamp,
            now,
            ChannelStatusEvaluator.StaleAfter(entry.Descriptor, _options));

        // Values of an agent known to be gone are old news, however recent they look.
        var ownerGone = _agents.TryGetValue(entry.AgentId, out var owner) && owner.StateAt(now, _options) != AgentState.Online;
        return ownerGone && status is ChannelStatus.Ok or ChannelStatus.Warn ? ChannelStatus.Stale : status;
    }

    private AgentStateMachine GetOrAddAgent(string agentId)
    {
        if (!_agents.TryGetValue(agentId, out var agent))
        {
            agent = new AgentStateMachine(agentId);
            _agents[agentId] = agent;
        }

        return agent;
    }

    private sealed class ChannelEntry(string agentId, ChannelDescriptor descriptor)
    {
        public string AgentId { get; set; } = agentId;

        public ChannelDescriptor Descriptor { get; set; } = descriptor;

        public double? Value { get; set; }

        public DateTimeOffset? Timestamp { get; set; }

        public Quality? Quality { get; set; }

        public ChannelStatus Status { get; set; } = ChannelStatus.Unknown;

        public ChannelState ToState() => new(
            Descriptor.Id,
            AgentId,
            Descriptor.Unit,
            Descriptor.Description,
            Descriptor.Group,
            Descriptor.Nominal,
            Descriptor.Warn,
            Descriptor.Alarm,
            Value,
            Timestamp,
            Quality,
            Status);
    }
}

/// <summary>Told of every change the live state sees, synchronously and in order; must not block.</summary>
public interface ILiveChangeListener
{
    void ChannelsChanged(IReadOnlyList<ChannelUpdate> updates);

    void StatusesChanged(IReadOnlyList<ChannelStatusChange> changes);

    void AgentsChanged(IReadOnlyList<AgentInfo> agents);
}
