using Clovers.Monitor.Shared.Live;

namespace Clovers.Monitor.Server.Live;

/// <summary>
/// Collects changes between pushes, keeping only the newest per channel, and releases them no
/// more often than the minimum interval: the first change after a quiet spell goes at once,
/// a burst becomes one push per interval. Status and agent changes are kept (latest per id)
/// and ride along, so none is coalesced away.
/// </summary>
public sealed class UpdateCoalescer
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _minInterval;
    private Dictionary<string, ChannelUpdate> _updates = new(StringComparer.Ordinal);
    private Dictionary<string, ChannelStatusChange> _statuses = new(StringComparer.Ordinal);
    private Dictionary<string, AgentInfo> _agents = new(StringComparer.Ordinal);
    private DateTimeOffset _lastRelease = DateTimeOffset.MinValue;

    public UpdateCoalescer(TimeSpan minInterval) => _minInterval = minInterval;

    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _updates.Count + _statuses.Count + _agents.Count > 0;
            }
        }
    }

    public void Offer(IReadOnlyList<ChannelUpdate> updates)
    {
        lock (_gate)
        {
            foreach (var update in updates)
            {
                _updates[update.Id] = update;

                // A fresh value carries its own status; an older pending status change is moot.
                _statuses.Remove(update.Id);
            }
        }
    }

    public void Offer(IReadOnlyList<ChannelStatusChange> changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                if (_updates.TryGetValue(change.Id, out var pending))
                {
                    _updates[change.Id] = pending with { Status = change.Status };
                }
                else
                {
                    _statuses[change.Id] = change;
                }
            }
        }
    }

    public void Offer(IReadOnlyList<AgentInfo> agents)
    {
        lock (_gate)
        {
            foreach (var agent in agents)
            {
                _agents[agent.Id] = agent;
            }
        }
    }

    /// <summary>
    /// Takes what is pending if the interval since the last release has passed. Otherwise
    /// returns null and tells how long to wait.
    /// </summary>
    public CoalescedChanges? TryRelease(DateTimeOffset now, out TimeSpan wait)
    {
        lock (_gate)
        {
            wait = TimeSpan.Zero;
            if (_updates.Count + _statuses.Count + _agents.Count == 0)
            {
                return null;
            }

            var due = _lastRelease == DateTimeOffset.MinValue ? now : _lastRelease + _minInterval;
            if (now < due)
            {
                wait = due - now;
                return null;
            }

            var released = new CoalescedChanges([.. _updates.Values], [.. _statuses.Values], [.. _agents.Values]);
            _updates = new(StringComparer.Ordinal);
            _statuses = new(StringComparer.Ordinal);
            _agents = new(StringComparer.Ordinal);
            _lastRelease = now;
            return released;
        }
    }
}

public sealed record CoalescedChanges(
    IReadOnlyList<ChannelUpdate> Updates,
    IReadOnlyList<ChannelStatusChange> Statuses,
    IReadOnlyList<AgentInfo> Agents);
