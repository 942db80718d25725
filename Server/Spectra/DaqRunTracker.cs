using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>What the sequence and run rules make of a well-formed histogram set.</summary>
public enum DaqVerdict
{
    Accepted,

    /// <summary>A new run number (or a restarted DAQ): every histogram starts again from zero.</summary>
    NewRun,

    /// <summary>The same sequence number again (a QoS 1 redelivery): ignored, not an error.</summary>
    Duplicate,

    /// <summary>An older sequence number of the current run: overtaken, ignored.</summary>
    Stale,

    /// <summary>A message of an earlier run: ignored.</summary>
    StaleRun,

    /// <summary>A cumulative count went down within a run: refused.</summary>
    CountsDecreased,

    /// <summary>A histogram's binning changed within a run: refused.</summary>
    BinningChanged,

    /// <summary>A new DAQ beyond <see cref="DaqRunTracker.MaxDaqs"/>: refused.</summary>
    TooManyDaqs,
}

/// <summary>
/// Applies the DAQ's run and sequence rules, message by message: within a run the sequence only
/// grows and no cumulative count (bin, triggers, livetime, protons) ever decreases; a new run
/// starts every histogram afresh. Keeps the last accepted counts of each key to compare with,
/// bounded by <see cref="MaxDaqs"/> × 64 histograms × 4096 bins.
/// </summary>
public sealed class DaqRunTracker
{
    public const int MaxDaqs = 16;

    private readonly Dictionary<string, DaqRun> _daqs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The verdict, and for refusals the key that broke the rule.</summary>
    public (DaqVerdict Verdict, string? Key) Observe(HistogramSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_gate)
        {
            if (!_daqs.TryGetValue(set.DaqId, out var current))
            {
                if (_daqs.Count >= MaxDaqs)
                {
                    return (DaqVerdict.TooManyDaqs, null);
                }

                _daqs[set.DaqId] = DaqRun.From(set);
                return (DaqVerdict.Accepted, null);
            }

            if (set.Run != current.Run)
            {
                // A lower run number is a late message of an earlier run, unless the run started
                // later than the current one: then the DAQ was reset and numbers runs afresh.
                if (set.Run < current.Run && set.RunStartedAt <= current.RunStartedAt)
                {
                    return (DaqVerdict.StaleRun, null);
                }

                _daqs[set.DaqId] = DaqRun.From(set);
                return (DaqVerdict.NewRun, null);
            }

            if (set.Seq == current.Seq)
            {
                return (DaqVerdict.Duplicate, null);
            }

            if (set.Seq < current.Seq)
            {
                return (DaqVerdict.Stale, null);
            }

            if (set.Triggers < current.Triggers || set.LivetimeSeconds < current.LivetimeSeconds || set.ProtonsOnTarget < current.ProtonsOnTarget)
            {
                return (DaqVerdict.CountsDecreased, "(run totals)");
            }

            foreach (var histogram in set.Histograms)
            {
                if (!current.Histograms.TryGetValue(histogram.Key, out var previous))
                {
                    continue;
                }

                if (previous.Edges.Count != histogram.Edges.Count || !previous.Edges.SequenceEqual(histogram.Edges))
                {
                    return (DaqVerdict.BinningChanged, histogram.Key);
                }

                for (var i = 0; i < previous.Counts.Count; i++)
                {
                    if (histogram.Counts[i] < previous.Counts[i])
                    {
                        return (DaqVerdict.CountsDecreased, histogram.Key);
                    }
                }
            }

            current.Advance(set);
            return (DaqVerdict.Accepted, null);
        }
    }

    public void Forget(string daqId)
    {
        lock (_gate)
        {
            _daqs.Remove(daqId);
        }
    }

    private sealed class DaqRun
    {
        public long Run { get; private init; }

        public DateTimeOffset RunStartedAt { get; private init; }

        public long Seq { get; private set; }

        public long Triggers { get; private set; }

        public double LivetimeSeconds { get; private set; }

        public double ProtonsOnTarget { get; private set; }

        public Dictionary<string, Histogram> Histograms { get; } = new(StringComparer.Ordinal);

        public static DaqRun From(HistogramSet set)
        {
            var run = new DaqRun { Run = set.Run, RunStartedAt = set.RunStartedAt };
            run.Advance(set);
            return run;
        }

        public void Advance(HistogramSet set)
        {
            Seq = set.Seq;
            Triggers = set.Triggers;
            LivetimeSeconds = set.LivetimeSeconds;
            ProtonsOnTarget = set.ProtonsOnTarget;
            foreach (var histogram in set.Histograms)
            {
                // Sets are never changed once parsed, so the last one is kept as it is (the spectra store holds the same).
                Histograms[histogram.Key] = histogram;
            }
        }
    }
}

/// <summary>A histogram set that passed every rule, on its way to the spectra store.</summary>
public sealed record AcceptedHistograms(string AgentId, DateTimeOffset ReceivedAt, HistogramSet Set, bool NewRun) : IngestItem(AgentId, ReceivedAt);
