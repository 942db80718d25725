using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>
/// Fits each PMT's SPE charge spectrum on the counts gained since its last fit (the difference
/// of two cumulative histograms), once at least <see cref="SpectraOptions.SpeFitMinEntries"/> have
/// come, and judges the gain against a reference: the configured one, else the first stable fit
/// of the run (<see cref="SpectraOptions.SpeStableFits"/> fits in a row within
/// <see cref="SpectraOptions.SpeStableTolerancePercent"/> of their mean). Used by one thread.
/// </summary>
public sealed class SpeGainTracker(SpectraOptions options)
{
    private readonly Dictionary<(string Daq, string Pmt), PmtState> _pmts = [];
    private readonly Dictionary<string, SpeGainInfo> _latest = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The newest fit of every PMT.</summary>
    public IReadOnlyList<SpeGainInfo> Latest
    {
        get
        {
            lock (_gate)
            {
                return [.. _latest.Values.OrderBy(g => g.Pmt, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Fits the SPE histograms of <paramref name="set"/> that gained enough; returns the gain and drift readings.</summary>
    public IReadOnlyList<Reading> Observe(HistogramSet set, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(set);
        var readings = new List<Reading>();
        foreach (var histogram in set.Histograms)
        {
            if (histogram is not { Kind: HistogramKind.SpeCharge, Pmt: { } pmt })
            {
                continue;
            }

            var key = (set.DaqId, pmt);
            if (!_pmts.TryGetValue(key, out var state) || state.Run != set.Run || state.Baseline.Length != histogram.Counts.Count)
            {
                state = new PmtState(set.Run, new long[histogram.Counts.Count]);
                _pmts[key] = state;
            }

            var gained = new long[histogram.Counts.Count];
            long total = 0;
            for (var i = 0; i < gained.Length; i++)
            {
                gained[i] = Math.Max(0, histogram.Counts[i] - state.Baseline[i]);
                total += gained[i];
            }

            if (total < options.SpeFitMinEntries)
            {
                continue;
            }

            state.Baseline = [.. histogram.Counts];
            if (SpeFitter.Fit(histogram.Edges, gained, Math.Max(20, options.SpeFitMinEntries / 20)) is not { } fit)
            {
                continue;
            }

            var reference = ReferenceFor(pmt, state, fit.Gain);
            double? drift = reference is { } r ? ((fit.Gain / r) - 1) * 100 : null;
            readings.Add(new Reading(DaqChannels.Gain(pmt), now, fit.Gain));
            if (drift is { } d)
            {
                readings.Add(new Reading(DaqChannels.GainDrift(pmt), now, d));
            }

            lock (_gate)
            {
                _latest[pmt] = new SpeGainInfo(set.DaqId, pmt, set.Run, now, fit.Gain, fit.GainError, fit.Sigma, fit.Entries, reference, drift);
            }
        }

        return readings;
    }

    private double? ReferenceFor(string pmt, PmtState state, double gain)
    {
        if (options.ReferenceGains is { } configured && configured.TryGetValue(pmt, out var fixedGain))
        {
            return fixedGain;
        }

        if (state.Reference is { } found)
        {
            return found;
        }

        state.Recent.Add(gain);
        if (state.Recent.Count > options.SpeStableFits)
        {
            state.Recent.RemoveAt(0);
        }

        if (state.Recent.Count == options.SpeStableFits)
        {
            var mean = state.Recent.Average();
            if (state.Recent.All(g => Math.Abs(g - mean) <= mean * options.SpeStableTolerancePercent / 100))
            {
                state.Reference = mean;
            }
        }

        return state.Reference;
    }

    private sealed class PmtState(long run, long[] baseline)
    {
        public long Run { get; } = run;

        public long[] Baseline { get; set; } = baseline;

        public List<double> Recent { get; } = [];

        public double? Reference { get; set; }
    }
}
