using Clovers.Monitor.Shared.Physics;

namespace Clovers.Monitor.Shared.Tests.Physics;

public sealed class SensitivityTests
{
    private static readonly Exposure s_halfYear = Exposure.Steady(140, 180);

    [Fact]
    public void Expected_HalfYearTwelveKilogramsNominal_Gives160Signal()
    {
        Assert.Equal(160, Sensitivity.Expected(s_halfYear).Cevns, 1e-9);
    }

    [Fact]
    public void Expected_HalfYearTwelveKilogramsNominal_Gives833Background()
    {
        Assert.Equal(833, Sensitivity.Expected(s_halfYear).Background, 1e-9);
    }

    [Fact]
    public void Expected_HalfYearTwelveKilogramsNominal_GivesEachComponentOfTheProposal()
    {
        var expected = Sensitivity.Expected(s_halfYear);

        Assert.Equal([160, 666, 160, 7], new[] { expected.Cevns, expected.BeamNeutrons, expected.DarkCounts, expected.Radioactive }.Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public void Significance_HalfYearTwelveKilogramsNominal_IsAbout508Sigma()
    {
        Assert.Equal(5.08, Sensitivity.Significance(s_halfYear), 0.005);
    }

    [Fact]
    public void Expected_NoBeam_KeepsDarkCountsAndRadioactivityButNoSignal()
    {
        var expected = Sensitivity.Expected(new Exposure(0, 180, 12));

        Assert.Equal((0.0, 0.0, 160.0, 7.0), (expected.Cevns, expected.BeamNeutrons, Math.Round(expected.DarkCounts, 9), Math.Round(expected.Radioactive, 9)));
    }

    [Fact]
    public void Expected_HalfPower_HalvesBeamComponentsOnly()
    {
        var expected = Sensitivity.Expected(Exposure.Steady(70, 180));

        Assert.Equal((80.0, 333.0, 160.0), (Math.Round(expected.Cevns, 9), Math.Round(expected.BeamNeutrons, 9), Math.Round(expected.DarkCounts, 9)));
    }

    [Fact]
    public void Expected_OneCrystal_IsAQuarter()
    {
        var expected = Sensitivity.Expected(Exposure.Steady(140, 180, 3));

        Assert.Equal((40.0, 208.25), (Math.Round(expected.Cevns, 9), Math.Round(expected.Background, 9)));
    }

    [Theory]
    [InlineData(45)]
    [InlineData(720)]
    public void Significance_FourTimesTheExposure_Doubles(double days)
    {
        var z = Sensitivity.Significance(Exposure.Steady(140, days));
        var z4 = Sensitivity.Significance(Exposure.Steady(140, 4 * days));

        Assert.Equal(2 * z, z4, 1e-9);
    }

    [Fact]
    public void Significance_NothingExpected_IsZero()
    {
        Assert.Equal(0, Sensitivity.Significance(0, 0));
    }

    [Fact]
    public void TimeToReach_FromZeroAtNominal_IsWhereTheSignificanceEqualsTheTarget()
    {
        var time = Sensitivity.TimeToReach(5, new Exposure(0, 0, 12), 140, 12);

        Assert.NotNull(time);
        Assert.Equal(5, Sensitivity.Significance(Exposure.Steady(140, time.Value.TotalDays)), 1e-6);
    }

    [Fact]
    public void TimeToReach_FiveSigmaFromZeroAtNominal_IsJustUnderHalfAYear()
    {
        var days = Sensitivity.TimeToReach(5, new Exposure(0, 0, 12), 140, 12)!.Value.TotalDays;

        Assert.InRange(days, 170, 180);
    }

    [Fact]
    public void TimeToReach_ThreeSigmaWithHalfTheExposureDone_CountsFromThere()
    {
        var sofar = Exposure.Steady(140, 30);

        var remaining = Sensitivity.TimeToReach(3, sofar, 140, 12)!.Value.TotalDays;

        Assert.Equal(3, Sensitivity.Significance(Exposure.Steady(140, 30 + remaining)), 1e-6);
    }

    [Fact]
    public void TimeToReach_AlreadyReached_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, Sensitivity.TimeToReach(3, s_halfYear, 140, 12));
    }

    [Fact]
    public void TimeToReach_BeamOff_IsNull()
    {
        Assert.Null(Sensitivity.TimeToReach(3, Exposure.Steady(140, 10), 0, 12));
    }

    [Fact]
    public void TimeToReach_HalfPower_TakesLonger()
    {
        var full = Sensitivity.TimeToReach(3, new Exposure(0, 0, 12), 140, 12)!.Value;
        var half = Sensitivity.TimeToReach(3, new Exposure(0, 0, 12), 70, 12)!.Value;

        Assert.True(half > 1.5 * full, $"{half} at 70 kW against {full} at 140 kW");
    }
}
