using System.Collections.Concurrent;

namespace Clovers.Monitor.Server.Diagnostics;

/// <summary>
/// Lets something happen at most once per interval per key, and counts what it held back: a
/// warning about a recurring problem, or a rebirth request to one agent. A publisher spraying
/// garbage can then flood neither the log nor the broker.
/// </summary>
public sealed class PerKeyThrottle
{
    private const int MaxKeys = 4096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;

    public PerKeyThrottle(TimeProvider time, TimeSpan interval)
    {
        _time = time;
        _interval = interval;
    }

    /// <summary>True when the caller may act now; <paramref name="suppressed"/> tells how many were held back since.</summary>
    public bool TryPass(string key, out long suppressed)
    {
        var now = _time.GetUtcNow();
        if (_entries.Count >= MaxKeys && !_entries.ContainsKey(key))
        {
            _entries.Clear();
        }

        var entry = _entries.GetOrAdd(key, static _ => new Entry());
        lock (entry)
        {
            if (entry.LastLogged is { } last && now - last < _interval)
            {
                entry.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastLogged = now;
            return true;
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset? LastLogged { get; set; }

        public long Suppressed { get; set; }
    }
}
