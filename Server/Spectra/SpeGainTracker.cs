using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>
/// Fits each PMT's SPE charge spectrum on the counts gained since its last fit (the difference
/// of two cumulative histograms), once at least <see cref="SpectraOptions.SpeFitMinEntries"/> have
/// come, and judges the gain against a reference: the configured one, else the stored one
/// (<see cref="SpeGainReferenceStore"/>, loaded with <see cref="LoadReferences"/>), else the first
/// stable fit ever (<see cref="SpectraOptions.SpeStableFits"/> fits in a row within
/// <see cref="SpectraOptions.SpeStableTolerancePercent"/> of their mean), which then becomes the
/// stored one. A reference is never replaced silently by a later run's gain: only an expert
/// re-takes it (<see cref="ReferencesFromLatestFits"/>, <see cref="SetReferences"/>), so a drift
/// between runs or across a restart still shows. <see cref="Observe"/> is called by one thread;
/// the references and the latest fits may be read and set from others.
/// </summary>
public sealed class SpeGainTracker(SpectraOptions options)
{
    private readonly Dictionary<(string Daq, string Pmt), PmtState> _pmts = [];
    private readonly Dictionary<(string Daq, string Pmt), SpeGainInfo> _latest = [];
    private readonly Dictionary<(string Daq, string Pmt), SpeGainReference> _references = [];

    // References found by Observe and not yet written to state.db; at most one per PMT.
    private readonly Dictionary<(string Daq, string Pmt), SpeGainReference> _unsaved = [];
    private readonly Lock _gate = new();

    /// <summary>The newest fit of every PMT.</summary>
    public IReadOnlyList<SpeGainInfo> Latest
    {
        get
        {
            lock (_gate)
            {
                return [.. _latest.Values.OrderBy(g => g.Pmt, StringComparer.Ordinal).ThenBy(g => g.DaqId, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>True when <c>Spectra:ReferenceGains</c> names <paramref name="pmt"/>, so its stored reference is not used.</summary>
    public bool IsConfigured(string pmt) => options.ReferenceGains is { } configured && configured.ContainsKey(pmt);

    /// <summary>
    /// Takes the references stored in state.db. A PMT that already has one in memory (re-taken
    /// while they loaded) keeps it: it is the newer.
    /// </summary>
    public void LoadReferences(IEnumerable<SpeGainReference> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        lock (_gate)
        {
            foreach (var reference in references)
            {
                _references.TryAdd((reference.DaqId, reference.Pmt), reference);
            }
        }
    }

    /// <summary>References taken automatically since the last call, to be written to state.db.</summary>
    public IReadOnlyList<SpeGainReference> TakeUnsavedReferences()
    {
        lock (_gate)
        {
            if (_unsaved.Count == 0)
            {
                return [];
            }

            var unsaved = _unsaved.Values.ToList();
            _unsaved.Clear();
            return unsaved;
        }
    }

    /// <summary>Puts back references whose write failed, so the next call of <see cref="TakeUnsavedReferences"/> tries again (unless they were replaced meanwhile).</summary>
    public void ReturnUnsavedReferences(IEnumerable<SpeGainReference> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        lock (_gate)
        {
            foreach (var reference in references)
            {
                var key = (reference.DaqId, reference.Pmt);
                if (_references.TryGetValue(key, out var current) && current == reference)
                {
                    _unsaved.TryAdd(key, reference);
                }
            }
        }
    }

    /// <summary>
    /// New references from the newest fits of <paramref name="daqId"/>'s PMTs (only
    /// <paramref name="pmt"/> when given), taken by <paramref name="user"/> at <paramref name="now"/>.
    /// Nothing changes until they are stored and passed to <see cref="SetReferences"/>.
    /// </summary>
    public IReadOnlyList<SpeGainReference> ReferencesFromLatestFits(string daqId, string? pmt, string user, DateTimeOffset now)
    {
        lock (_gate)
        {
            return
            [
                .. _latest.Values
                    .Where(g => g.DaqId == daqId && (pmt is null || g.Pmt == pmt))
                    .OrderBy(g => g.Pmt, StringComparer.Ordinal)
                    .Select(g => new SpeGainReference(g.DaqId, g.Pmt, g.GainPicocoulomb, now, g.Run, user)),
            ];
        }
    }

    /// <summary>Makes <paramref name="references"/> (already stored) the references; the newest fits show their drift from them at once.</summary>
    public void SetReferences(IEnumerable<SpeGainReference> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        lock (_gate)
        {
            foreach (var reference in references)
            {
                var key = (reference.DaqId, reference.Pmt);
                _references[key] = reference;
                _unsaved.Remove(key);
                if (_latest.TryGetValue(key, out var latest) && !IsConfigured(reference.Pmt))
                {
                    _latest[key] = WithReference(latest, reference.Gain, reference);
                }
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

            var (referenceGain, stored) = ReferenceFor(set.DaqId, pmt, state, fit.Gain, set.Run, now);
            readings.Add(new Reading(DaqChannels.Gain(pmt), now, fit.Gain));
            var info = new SpeGainInfo(set.DaqId, pmt, set.Run, now, fit.Gain, fit.GainError, fit.Sigma, fit.Entries, null, null);
            if (referenceGain is { } r)
            {
                info = WithReference(info, r, stored);
                readings.Add(new Reading(DaqChannels.GainDrift(pmt), now, info.DriftPercent!.Value));
            }

            lock (_gate)
            {
                _latest[key] = info;
            }
        }

        return readings;
    }

    private static SpeGainInfo WithReference(SpeGainInfo fit, double referenceGain, SpeGainReference? stored) => fit with
    {
        ReferenceGain = referenceGain,
        DriftPercent = ((fit.GainPicocoulomb / referenceGain) - 1) * 100,
        ReferenceTakenAt = stored?.TakenAt,
        ReferenceRun = stored?.Run,
        ReferenceSource = stored?.TakenBy ?? SpeGainReferenceSources.Configured,
    };

    /// <summary>The reference gain, with the stored reference it comes from (null when configured); no gain before the first stable fit.</summary>
    private (double? Gain, SpeGainReference? Stored) ReferenceFor(string daqId, string pmt, PmtState state, double gain, long run, DateTimeOffset now)
    {
        if (options.ReferenceGains is { } configured && configured.TryGetValue(pmt, out var fixedGain))
        {
            return (fixedGain, null);
        }

        lock (_gate)
        {
            if (_references.TryGetValue((daqId, pmt), out var found))
            {
                return (found.Gain, found);
            }
        }

        state.Recent.Add(gain);
        if (state.Recent.Count > options.SpeStableFits)
        {
            state.Recent.RemoveAt(0);
        }

        if (state.Recent.Count < options.SpeStableFits)
        {
            return (null, null);
        }

        var mean = state.Recent.Average();
        if (!state.Recent.All(g => Math.Abs(g - mean) <= mean * options.SpeStableTolerancePercent / 100))
        {
            return (null, null);
        }

        var reference = new SpeGainReference(daqId, pmt, mean, now, run, SpeGainReferenceSources.FirstStableFit);
        lock (_gate)
        {
            // An expert may have taken one meanwhile: that one stands.
            if (!_references.TryAdd((daqId, pmt), reference))
            {
                reference = _references[(daqId, pmt)];
            }
            else
            {
                _unsaved[(daqId, pmt)] = reference;
            }
        }

        return (reference.Gain, reference);
    }

    private sealed class PmtState(long run, long[] baseline)
    {
        public long Run { get; } = run;

        public long[] Baseline { get; set; } = baseline;

        public List<double> Recent { get; } = [];
    }
}
