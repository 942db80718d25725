using System.Collections.Concurrent;

namespace Clovers.Monitor.Server.Live;

/// <summary>Which hub connection wants which channels (null set: all of them).</summary>
public sealed class LiveSubscriptions
{
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>?> _byConnection = new(StringComparer.Ordinal);

    public int Count => _byConnection.Count;

    public void Register(string connectionId, IReadOnlyCollection<string>? channelIds) =>
        _byConnection[connectionId] = channelIds is null || channelIds.Count == 0
            ? null
            : channelIds.ToHashSet(StringComparer.Ordinal);

    public void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    public IEnumerable<KeyValuePair<string, IReadOnlySet<string>?>> All => _byConnection;
}
