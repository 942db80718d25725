using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class SpeGainTrackerTests
{
    private static readonly DateTimeOffset Now = SpectraSamples.RunStart.AddHours(1);

    [Fact]
    public void Observe_FewerEntriesThanTheMinimum_FitsNothing()
    {
        var tracker = new SpeGainTracker(new SpectraOptions { SpeFitMinEntries = 100_000 });

        Assert.Empty(tracker.Observe(Set(1, SpectraSamples.SpeSpectrum(1.6, 20_000, 5_000)), Now));
    }

    [Fact]
    public void Observe_EnoughEntries_PublishesGainOfThePmt()
    {
        var tracker = new SpeGainTracker(new SpectraOptions { SpeFitMinEntries = 2_000 });

        var readings = tracker.Observe(Set(1, SpectraSamples.SpeSpectrum(1.6, 20_000, 5_000)), Now);

        var gain = Assert.Single(readings, r => r.Channel == "pmt.sd1a.gain");
        Assert.InRange(gain.Value, 1.55, 1.65);
    }

    [Fact]
    public void Observe_ConfiguredReference_PublishesDriftInPercent()
    {
        var options = new SpectraOptions { SpeFitMinEntries = 2_000, ReferenceGains = new(StringComparer.Ordinal) { ["sd1a"] = 1.45 } };
        var tracker = new SpeGainTracker(options);

        var readings = tracker.Observe(Set(1, SpectraSamples.SpeSpectrum(1.6, 50_000, 5_000)), Now);

        var drift = Assert.Single(readings, r => r.Channel == "pmt.sd1a.gain_drift");
        Assert.InRange(drift.Value, 7, 13);
    }

    [Fact]
    public void Observe_GainDropsAfterStableFits_DriftIsMeasuredFromTheStableGain()
    {
        var tracker = new SpeGainTracker(new SpectraOptions { SpeFitMinEntries = 2_000, SpeStableFits = 2, SpeStableTolerancePercent = 3 });
        var cumulative = new long[200];
        Reading? drift = null;
        foreach (var (gain, seq) in new[] { (1.6, 1), (1.6, 2), (1.6, 3), (1.4, 4) })
        {
            var gained = SpectraSamples.SpeSpectrum(gain, 50_000, 5_000, seed: seq);
            cumulative = [.. cumulative.Zip(gained, (a, b) => a + b)];
            drift = tracker.Observe(SpectraSamples.Set(1, seq, SpectraSamples.Spe("sd1a", cumulative)), Now).SingleOrDefault(r => r.Channel == "pmt.sd1a.gain_drift");
        }

        Assert.NotNull(drift);
        Assert.InRange(drift.Value, -16, -9);
    }

    private static HistogramSet Set(long seq, long[] counts) => SpectraSamples.Set(1, seq, SpectraSamples.Spe("sd1a", counts));
}
