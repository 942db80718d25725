using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>The current run of one DAQ: its totals and the latest cumulative histogram of every key.</summary>
public sealed record DaqSpectra(RunTotals Totals, IReadOnlyDictionary<string, Histogram> Histograms)
{
    public SpectraUpdate ToUpdate() => new(
        Totals.DaqId,
        Totals.Run,
        Totals.Seq,
        Totals.LastSentAt,
        Totals.Triggers,
        Totals.LivetimeSeconds,
        Totals.ProtonsOnTarget,
        [.. Histograms.Values.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new SpectrumCounts(
            h.Key,
            Total(h),
            Roi(h),
            h.Kind == HistogramKind.Npe ? h.Counts : []))]);

    public static long Total(Histogram histogram) => histogram.Counts.Sum();

    /// <summary>
    /// Counts each bin of <paramref name="histogram"/> gained since the snapshot <paramref name="since"/>:
    /// all of them when there is none or its binning differs; never below zero.
    /// </summary>
    public static long[] GainedSince(Histogram histogram, SnapshotRow? since)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var before = since is not null && since.Counts.Length == histogram.Counts.Count ? since.Counts : null;
        var gained = new long[histogram.Counts.Count];
        for (var i = 0; i < gained.Length; i++)
        {
            gained[i] = Math.Max(0, histogram.Counts[i] - (before?[i] ?? 0));
        }

        return gained;
    }

    public static long? Roi(Histogram histogram) =>
        histogram.Kind == HistogramKind.Npe ? SpectraRoutes.CountsBetween(histogram.Edges, histogram.Counts) : null;

    public static SpectrumSummary Summarize(RunTotals totals, Histogram histogram) => new(
        totals.DaqId,
        histogram.Key,
        histogram.Kind,
        histogram.SubDetector,
        histogram.Window,
        histogram.Pmt,
        histogram.Unit,
        totals.Run,
        totals.Seq,
        totals.LastSentAt,
        totals.RunStartedAt,
        totals.Triggers,
        totals.LivetimeSeconds,
        totals.ProtonsOnTarget,
        Total(histogram),
        Roi(histogram),
        totals.Simulated);
}

/// <summary>
/// The newest run of every DAQ in memory, merged message by message (a message may carry a subset
/// of keys). Bounded by <see cref="DaqRunTracker.MaxDaqs"/> DAQs of at most 64 histograms.
/// Earlier runs are read from state.db.
/// </summary>
public sealed class SpectraStore
{
    private readonly Dictionary<string, DaqSpectra> _daqs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Merges a set; returns the DAQ's state after it, and the previous run's state when the set started a new run.</summary>
    public (DaqSpectra Current, DaqSpectra? EndedRun) Apply(HistogramSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_gate)
        {
            _daqs.TryGetValue(set.DaqId, out var previous);
            var sameRun = previous is not null && previous.Totals.Run == set.Run;
            var histograms = sameRun
                ? new Dictionary<string, Histogram>(previous!.Histograms, StringComparer.Ordinal)
                : new Dictionary<string, Histogram>(StringComparer.Ordinal);
            foreach (var histogram in set.Histograms)
            {
                histograms[histogram.Key] = histogram;
            }

            var current = new DaqSpectra(RunTotals.From(set), histograms);
            if (_daqs.Count < DaqRunTracker.MaxDaqs || previous is not null)
            {
                _daqs[set.DaqId] = current;
            }

            return (current, sameRun ? null : previous);
        }
    }

    public void Load(RunTotals totals, IReadOnlyList<Histogram> histograms)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(histograms);
        lock (_gate)
        {
            if (!_daqs.ContainsKey(totals.DaqId) && _daqs.Count < DaqRunTracker.MaxDaqs)
            {
                _daqs[totals.DaqId] = new DaqSpectra(totals, histograms.ToDictionary(h => h.Key, StringComparer.Ordinal));
            }
        }
    }

    public DaqSpectra? Find(string daqId)
    {
        lock (_gate)
        {
            return _daqs.GetValueOrDefault(daqId);
        }
    }

    public IReadOnlyList<DaqSpectra> All()
    {
        lock (_gate)
        {
            return [.. _daqs.Values.OrderBy(d => d.Totals.DaqId, StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<SpectrumSummary> Summaries() =>
        [.. All().SelectMany(d => d.Histograms.Values.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => DaqSpectra.Summarize(d.Totals, h)))];
}
