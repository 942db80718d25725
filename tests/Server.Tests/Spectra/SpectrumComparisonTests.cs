using Clovers.Monitor.Server.Spectra;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class SpectrumComparisonTests
{
    [Fact]
    public void Compare_SameShapeDifferentExposure_IsCompatible()
    {
        var reference = Falling(scale: 10_000);
        var sample = Falling(scale: 1_000);

        var comparison = SpectrumComparison.Compare(sample, reference);

        Assert.NotNull(comparison);
        Assert.True(comparison.Chi2PerNdf < 0.5, $"χ²/ndf {comparison.Chi2PerNdf}");
        Assert.True(comparison.PValue > 0.9);
    }

    [Fact]
    public void Compare_ShapeWithExtraPeak_IsIncompatible()
    {
        var reference = Falling(scale: 10_000);
        var sample = Falling(scale: 1_000);
        for (var i = 30; i < 40; i++)
        {
            sample[i] += 300;
        }

        var comparison = SpectrumComparison.Compare(sample, reference);

        Assert.True(comparison!.Chi2PerNdf > 3);
        Assert.True(comparison.PValue < 1e-6);
    }

    [Fact]
    public void Compare_DifferentBinCounts_ReturnsNull()
    {
        Assert.Null(SpectrumComparison.Compare([1, 2, 3], [1, 2]));
    }

    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(2.0, 6.0)]
    [InlineData(10.0, 9.0)]
    public void UpperRegularizedGamma_TwoDegreesOfFreedom_IsExponential(double ndf, double chi2)
    {
        // For ndf = 2 the χ² survival function is exp(-χ²/2); for other ndf compare with known values.
        var q = SpectrumComparison.UpperRegularizedGamma(ndf / 2, chi2 / 2);

        var expected = ndf == 2 ? Math.Exp(-chi2 / 2) : 0.5321;
        Assert.Equal(expected, q, 3);
    }

    private static double[] Falling(double scale) => [.. Enumerable.Range(0, 100).Select(i => scale * (1 + (50.0 / (i + 1))))];
}
