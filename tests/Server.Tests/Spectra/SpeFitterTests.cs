using Clovers.Monitor.Server.Spectra;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class SpeFitterTests
{
    private static readonly double[] Edges = SpectraSamples.Edges(-0.5, 5.5, 200);

    [Theory]
    [InlineData(1.6, 1)]
    [InlineData(1.2, 2)]
    [InlineData(2.4, 3)]
    public void Fit_HighStatistics_FindsKnownGainWithinTwoPercent(double gain, int seed)
    {
        var counts = SpectraSamples.SpeSpectrum(gain, speEntries: 50_000, pedestalEntries: 20_000, seed: seed);

        var fit = SpeFitter.Fit(Edges, counts);

        Assert.NotNull(fit);
        Assert.InRange(fit.Gain, gain * 0.98, gain * 1.02);
    }

    [Fact]
    public void Fit_LowStatistics_FindsKnownGainWithinTenPercent()
    {
        var counts = SpectraSamples.SpeSpectrum(1.6, speEntries: 1_500, pedestalEntries: 600, seed: 4);

        var fit = SpeFitter.Fit(Edges, counts, minPeakEntries: 50);

        Assert.NotNull(fit);
        Assert.InRange(fit.Gain, 1.6 * 0.9, 1.6 * 1.1);
    }

    [Fact]
    public void Fit_NoisyDominantPedestal_FindsKnownGainWithinFivePercent()
    {
        var counts = SpectraSamples.SpeSpectrum(1.6, speEntries: 20_000, pedestalEntries: 200_000, pedestalSigma: 0.15, seed: 5);

        var fit = SpeFitter.Fit(Edges, counts);

        Assert.NotNull(fit);
        Assert.InRange(fit.Gain, 1.6 * 0.95, 1.6 * 1.05);
    }

    [Fact]
    public void Fit_SpectrumWithoutPedestal_FindsKnownGain()
    {
        var counts = SpectraSamples.SpeSpectrum(1.6, speEntries: 30_000, pedestalEntries: 0, seed: 6);

        var fit = SpeFitter.Fit(Edges, counts);

        Assert.NotNull(fit);
        Assert.InRange(fit.Gain, 1.6 * 0.95, 1.6 * 1.05);
    }

    [Fact]
    public void Fit_ErrorShrinksWithStatistics()
    {
        var few = SpeFitter.Fit(Edges, SpectraSamples.SpeSpectrum(1.6, 2_000, 1_000, seed: 7), minPeakEntries: 50);
        var many = SpeFitter.Fit(Edges, SpectraSamples.SpeSpectrum(1.6, 200_000, 100_000, seed: 7));

        Assert.True(many!.GainError < few!.GainError);
    }

    [Fact]
    public void Fit_PedestalOnly_ReturnsNull()
    {
        var counts = SpectraSamples.SpeSpectrum(1.6, speEntries: 0, pedestalEntries: 50_000, seed: 8);

        Assert.Null(SpeFitter.Fit(Edges, counts));
    }

    [Fact]
    public void Fit_EmptyHistogram_ReturnsNull()
    {
        Assert.Null(SpeFitter.Fit(Edges, new long[200]));
    }
}
