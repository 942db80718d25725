using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Server.Tests.State;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Spectra;

/// <summary>The reference a PMT's gain drift is measured from, kept in state.db across runs and restarts.</summary>
public sealed class SpeGainReferenceTests : IDisposable
{
    private const string Pmt = "sd1a";

    private static readonly DateTimeOffset Now = SpectraSamples.RunStart.AddHours(1);

    private readonly TemporaryStateDatabase _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public void Observe_GainDroppedBetweenRuns_DriftIsMeasuredFromTheFirstRunsReference()
    {
        var tracker = Tracker();
        new Run(tracker, 1).Fits(1.6, 1.6, 1.6);

        var drift = new Run(tracker, 2).Fits(1.4, 1.4, 1.4);

        Assert.All(drift, d => Assert.InRange(d!.Value, -16, -9));
    }

    [Fact]
    public void TakeUnsavedReferences_FirstStableFit_IsTheAutomaticReferenceOfItsRun()
    {
        var tracker = Tracker();
        new Run(tracker, 7).Fits(1.6, 1.6, 1.6);

        var reference = Assert.Single(tracker.TakeUnsavedReferences());

        Assert.Equal((SpectraSamples.DaqId, Pmt, 7L, SpeGainReferenceSources.FirstStableFit), (reference.DaqId, reference.Pmt, reference.Run, reference.TakenBy));
        Assert.InRange(reference.Gain, 1.55, 1.65);
        Assert.Empty(tracker.TakeUnsavedReferences());
    }

    [Fact]
    public async Task Observe_AfterARestart_MeasuresTheFirstFitAgainstTheStoredReference()
    {
        var store = await StoreAsync();
        var before = Tracker();
        new Run(before, 1).Fits(1.6, 1.6, 1.6);
        await store.SaveAsync(before.TakeUnsavedReferences(), CancellationToken.None);

        var restarted = Tracker();
        restarted.LoadReferences(await (await StoreAsync()).LoadAsync(null, CancellationToken.None));
        var drift = new Run(restarted, 2).Fits(1.4);

        Assert.InRange(Assert.Single(drift)!.Value, -16, -9);
        Assert.Empty(restarted.TakeUnsavedReferences());
    }

    [Fact]
    public void SetReferences_RetakenFromTheLatestFits_DriftIsAboutZero()
    {
        var tracker = Tracker();
        new Run(tracker, 1).Fits(1.6, 1.6, 1.6);
        var run = new Run(tracker, 2);
        run.Fits(1.4);

        var retaken = tracker.ReferencesFromLatestFits(SpectraSamples.DaqId, null, "expert", Now);
        tracker.SetReferences(retaken);
        var drift = run.Fits(1.4);

        Assert.Equal("expert", Assert.Single(retaken).TakenBy);
        Assert.InRange(Assert.Single(drift)!.Value, -2, 2);
    }

    [Fact]
    public void Observe_ConfiguredAndStoredReference_ConfiguredWins()
    {
        var tracker = new SpeGainTracker(new SpectraOptions { SpeFitMinEntries = 2_000, ReferenceGains = new(StringComparer.Ordinal) { [Pmt] = 1.45 } });
        tracker.LoadReferences([new SpeGainReference(SpectraSamples.DaqId, Pmt, 1.6, Now, 1, SpeGainReferenceSources.FirstStableFit)]);

        var drift = new Run(tracker, 2).Fits(1.6);

        Assert.InRange(Assert.Single(drift)!.Value, 7, 13);
        Assert.Equal(SpeGainReferenceSources.Configured, Assert.Single(tracker.Latest).ReferenceSource);
    }

    [Fact]
    public void Latest_StoredReference_ShowsWhenAndByWhomItWasTaken()
    {
        var tracker = Tracker();
        tracker.LoadReferences([new SpeGainReference(SpectraSamples.DaqId, Pmt, 1.6, Now.AddDays(-3), 4, "alice")]);

        new Run(tracker, 5).Fits(1.6);

        var latest = Assert.Single(tracker.Latest);
        Assert.Equal((Now.AddDays(-3), 4L, "alice"), (latest.ReferenceTakenAt, latest.ReferenceRun, latest.ReferenceSource));
    }

    [Fact]
    public async Task SaveAsync_SamePmtTwice_KeepsTheNewerReference()
    {
        var store = await StoreAsync();
        await store.SaveAsync([new SpeGainReference(SpectraSamples.DaqId, Pmt, 1.6, Now, 1, SpeGainReferenceSources.FirstStableFit)], CancellationToken.None);

        await store.SaveAsync([new SpeGainReference(SpectraSamples.DaqId, Pmt, 1.4, Now.AddDays(1), 2, "alice")], CancellationToken.None);

        var stored = Assert.Single(await store.LoadAsync(SpectraSamples.DaqId, CancellationToken.None));
        Assert.Equal(new SpeGainReference(SpectraSamples.DaqId, Pmt, 1.4, Now.AddDays(1), 2, "alice"), stored);
    }

    private static SpeGainTracker Tracker() =>
        new(new SpectraOptions { SpeFitMinEntries = 2_000, SpeStableFits = 3, SpeStableTolerancePercent = 3 });

    private async Task<SpeGainReferenceStore> StoreAsync()
    {
        var database = _temporary.Open();
        await database.MigrateAsync();
        return new SpeGainReferenceStore(database);
    }

    /// <summary>One run of the DAQ: each fit adds a spectrum at the given gain to the run's cumulative histogram.</summary>
    private sealed class Run(SpeGainTracker tracker, long run)
    {
        private long[] _cumulative = new long[200];
        private long _seq;

        /// <summary>The drift reading of each fit (null before there is a reference).</summary>
        public IReadOnlyList<double?> Fits(params double[] gains)
        {
            var drifts = new List<double?>();
            foreach (var gain in gains)
            {
                _seq++;
                var gained = SpectraSamples.SpeSpectrum(gain, 50_000, 5_000, seed: (int)((run * 100) + _seq));
                _cumulative = [.. _cumulative.Zip(gained, (a, b) => a + b)];
                var readings = tracker.Observe(SpectraSamples.Set(run, _seq, SpectraSamples.Spe(Pmt, _cumulative)), Now);
                drifts.Add(readings.SingleOrDefault(r => r.Channel == DaqChannels.GainDrift(Pmt))?.Value);
            }

            return drifts;
        }
    }
}
