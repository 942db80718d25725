using System.Collections.Concurrent;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>
/// Follows each agent's batch sequence numbers to count gaps (lost batches). Bounded by the
/// number of agents the validator admits.
/// </summary>
public sealed class SequenceTracker
{
    private readonly ConcurrentDictionary<string, long> _lastSeq = new(StringComparer.Ordinal);

    /// <summary>Records a sequence number; returns how many batches were skipped since the previous one.</summary>
    public long Observe(string agentId, long seq)
    {
        long skipped = 0;
        _lastSeq.AddOrUpdate(
            agentId,
            seq,
            (_, last) =>
            {
                skipped = seq > last + 1 ? seq - last - 1 : 0;
                return Math.Max(seq, last);
            });
        return skipped;
    }

    public void Forget(string agentId) => _lastSeq.TryRemove(agentId, out _);
}
