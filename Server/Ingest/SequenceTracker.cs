using System.Collections.Concurrent;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>
/// Follows each agent's batch sequence numbers: drops what was already received (a replay after a
/// lost acknowledgement, a redelivery by the broker), counts gaps (lost batches), and keeps the
/// highest number known to be durably stored, which <see cref="SequenceStore"/> persists so that a
/// restarted Server still recognises replays. Bounded: at most <see cref="MaxAgents"/> agents.
/// </summary>
public sealed class SequenceTracker
{
    /// <summary>More agents than the validator admits (256), so every real one is tracked.</summary>
    public const int MaxAgents = 1024;

    /// <summary>
    /// A number this far below the highest one is not a replay but a publisher that started
    /// numbering again (its outbox file lost, its clock set back): it starts a new series.
    /// </summary>
    public const long ResetDistance = 100_000;

    private readonly ConcurrentDictionary<string, AgentSequence> _agents = new(StringComparer.Ordinal);

    /// <summary>Agents whose durable mark moved since the last <see cref="TakeDirty"/>.</summary>
    private readonly ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);

    /// <summary>Starts from the durable marks of an earlier run.</summary>
    public void Load(IEnumerable<KeyValuePair<string, long>> durableMarks)
    {
        ArgumentNullException.ThrowIfNull(durableMarks);
        foreach (var (agentId, seq) in durableMarks)
        {
            if (_agents.Count >= MaxAgents)
            {
                break;
            }

            _agents[agentId] = new AgentSequence { Seen = seq, Durable = seq, GapBase = seq };
        }
    }

    /// <summary>Records a batch number and says whether it is new and how many batches were skipped before it.</summary>
    public SequenceVerdict Observe(string agentId, long seq)
    {
        var state = _agents.GetOrAdd(agentId, static _ => new AgentSequence());
        if (_agents.Count > MaxAgents)
        {
            // A publisher inventing ids must not grow the table; untracked agents are not deduplicated.
            _agents.TryRemove(agentId, out _);
        }

        lock (state)
        {
            if (state.Seen is not { } seen)
            {
                state.Seen = seq;
                state.GapBase = seq;
                return SequenceVerdict.New(0);
            }

            if (seq <= seen && seen - seq < ResetDistance)
            {
                return SequenceVerdict.Duplicate;
            }

            if (seq <= seen)
            {
                state.Seen = seq;
                state.GapBase = seq;
                state.Durable = null;
                return SequenceVerdict.Restarted;
            }

            var skipped = state.GapBase is { } last && seq > last + 1 ? seq - last - 1 : 0;
            state.Seen = seq;
            state.GapBase = seq;
            return SequenceVerdict.New(skipped);
        }
    }

    /// <summary>A (re)birth may start a new sequence: the next number is not counted as a gap.</summary>
    public void Rebirth(string agentId)
    {
        if (_agents.TryGetValue(agentId, out var state))
        {
            lock (state)
            {
                state.GapBase = null;
            }
        }
    }

    /// <summary>The batch is committed to storage; its number may be persisted.</summary>
    public void MarkDurable(string agentId, long seq)
    {
        if (!_agents.TryGetValue(agentId, out var state))
        {
            return;
        }

        lock (state)
        {
            if (state.Durable is { } durable && durable >= seq)
            {
                return;
            }

            state.Durable = seq;
        }

        _dirty[agentId] = 0;
    }

    /// <summary>Marks that could not be persisted are handed back, to be tried again.</summary>
    public void Unpersisted(IEnumerable<KeyValuePair<string, long>> marks)
    {
        ArgumentNullException.ThrowIfNull(marks);
        foreach (var (agentId, _) in marks)
        {
            _dirty[agentId] = 0;
        }
    }

    /// <summary>Durable marks that moved since the last call, to persist.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> TakeDirty()
    {
        var result = new List<KeyValuePair<string, long>>();
        foreach (var agentId in _dirty.Keys)
        {
            _dirty.TryRemove(agentId, out _);
            if (_agents.TryGetValue(agentId, out var state))
            {
                lock (state)
                {
                    if (state.Durable is { } durable)
                    {
                        result.Add(new(agentId, durable));
                    }
                }
            }
        }

        return result;
    }

    private sealed class AgentSequence
    {
        public long? Seen { get; set; }

        public long? Durable { get; set; }

        public long? GapBase { get; set; }
    }
}

/// <summary>What <see cref="SequenceTracker.Observe"/> decided about one batch.</summary>
public readonly record struct SequenceVerdict(bool IsDuplicate, bool IsRestart, long Skipped)
{
    public static SequenceVerdict Duplicate => new(true, false, 0);

    public static SequenceVerdict Restarted => new(false, true, 0);

    public static SequenceVerdict New(long skipped) => new(false, false, skipped);
}
