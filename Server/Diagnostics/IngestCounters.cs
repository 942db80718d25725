using System.Collections.Concurrent;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Diagnostics;

/// <summary>
/// Counts what ingest saw, accepted and refused, and how long the store takes. Lock-free on the
/// hot path; read as a snapshot by the diagnostics endpoint and the health check.
/// </summary>
public sealed class IngestCounters
{
    private const int LatencyWindow = 512;
    private const int MaxTrackedSources = 1024;

    private readonly ConcurrentDictionary<string, long> _rejectedByReason = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rejectedBySource = new(StringComparer.Ordinal);
    private readonly double[] _latenciesMs = new double[LatencyWindow];
    private readonly Lock _latencyGate = new();
    private readonly TimeProvider _time;
    private long _messagesReceived;
    private long _messagesAccepted;
    private long _messagesRejected;
    private long _readingsAccepted;
    private long _readingsStored;
    private long _sequenceGaps;
    private long _storeBatches;
    private double _lastLatencyMs;

    public IngestCounters(TimeProvider time)
    {
        _time = time;
        Since = time.GetUtcNow();
    }

    public DateTimeOffset Since { get; }

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long ReadingsAccepted => Interlocked.Read(ref _readingsAccepted);

    public long ReadingsStored => Interlocked.Read(ref _readingsStored);

    /// <summary>When the store last completed a write, or null if it never has.</summary>
    public DateTimeOffset? LastStoreWrite { get; private set; }

    /// <summary>When a store write last failed, or null.</summary>
    public DateTimeOffset? LastStoreFailure { get; private set; }

    public void MessageReceived() => Interlocked.Increment(ref _messagesReceived);

    public void MessageAccepted(int readings)
    {
        Interlocked.Increment(ref _messagesAccepted);
        Interlocked.Add(ref _readingsAccepted, readings);
    }

    /// <summary>A whole message refused.</summary>
    public void MessageRejected(string reason, string source)
    {
        // Reason before total: a snapshot that shows the refusal then always shows why.
        CountRejection(reason, source);
        Interlocked.Increment(ref _messagesRejected);
    }

    /// <summary>One reading refused inside an accepted message.</summary>
    public void ReadingRejected(string reason, string source) => CountRejection(reason, source);

    /// <summary>
    /// A message ignored on purpose (a redelivered or overtaken DAQ message): counted by reason and
    /// source like a refusal so it shows in diagnostics, but neither accepted nor rejected.
    /// </summary>
    public void MessageIgnored(string reason, string source) => CountRejection(reason, source);

    public void SequenceGaps(long skippedBatches) => Interlocked.Add(ref _sequenceGaps, skippedBatches);

    public void StoreWritten(int readings, TimeSpan elapsed)
    {
        Interlocked.Add(ref _readingsStored, readings);
        var ms = elapsed.TotalMilliseconds;
        lock (_latencyGate)
        {
            _latenciesMs[_storeBatches % LatencyWindow] = ms;
            _storeBatches++;
            _lastLatencyMs = ms;
        }

        LastStoreWrite = _time.GetUtcNow();
    }

    public void StoreFailed() => LastStoreFailure = _time.GetUtcNow();

    public IngestDiagnostics Snapshot(IReadOnlyDictionary<string, int> queueDepths)
    {
        double[] window;
        double last;
        long batches;
        lock (_latencyGate)
        {
            batches = _storeBatches;
            last = _lastLatencyMs;
            window = _latenciesMs[..(int)Math.Min(batches, LatencyWindow)];
        }

        Array.Sort(window);

        // Read in the reverse order of counting (reason, then source, then the total): whatever
        // this snapshot counts as refused, it also shows under its source and its reason.
        var received = Interlocked.Read(ref _messagesReceived);
        var accepted = Interlocked.Read(ref _messagesAccepted);
        var rejected = Interlocked.Read(ref _messagesRejected);
        var bySource = new SortedDictionary<string, long>(_rejectedBySource, StringComparer.Ordinal);
        var byReason = new SortedDictionary<string, long>(_rejectedByReason, StringComparer.Ordinal);
        return new IngestDiagnostics(
            Since,
            received,
            accepted,
            rejected,
            ReadingsAccepted,
            ReadingsStored,
            byReason,
            bySource,
            queueDepths,
            new StoreLatency(last, Percentile(window, 0.50), Percentile(window, 0.99), batches),
            Interlocked.Read(ref _sequenceGaps));
    }

    // Reason before source: see the order in which Snapshot reads them.
    private void CountRejection(string reason, string source)
    {
        _rejectedByReason.AddOrUpdate(reason, 1, static (_, n) => n + 1);

        // Sources are names chosen by publishers; past the cap they are pooled so that a
        // publisher inventing ids cannot grow this table without bound.
        var key = _rejectedBySource.ContainsKey(source) || _rejectedBySource.Count < MaxTrackedSources ? source : "(other)";
        _rejectedBySource.AddOrUpdate(key, 1, static (_, n) => n + 1);
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(quantile * sorted.Length))];
}
