using Clovers.Monitor.Shared.Physics;

namespace Clovers.Monitor.Shared.Tests.Physics;

public sealed class BeamTests
{
    // The paper prints three significant figures.
    internal static double ThreeSignificantFigures(double value)
    {
        var scale = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(value))) - 2);
        return Math.Round(value / scale) * scale;
    }

    [Fact]
    public void ProtonsPerSecond_NominalPower_Is546E14()
    {
        Assert.Equal(CloversFacts.ProtonsPerSecondAtNominal, ThreeSignificantFigures(Beam.ProtonsPerSecond(140)));
    }

    [Fact]
    public void ProtonsPerPulse_NominalPower_Is218E13()
    {
        Assert.Equal(CloversFacts.ProtonsPerPulseAtNominal, ThreeSignificantFigures(Beam.ProtonsPerPulse(140)));
    }

    [Fact]
    public void ProtonsPerDay_NominalPower_Is472E19()
    {
        Assert.Equal(4.72e19, ThreeSignificantFigures(Beam.ProtonsPerDay(140)));
    }

    [Fact]
    public void ProtonsPerSecond_HalfPower_IsHalf()
    {
        Assert.Equal(Beam.ProtonsPerSecond(140) / 2, Beam.ProtonsPerSecond(70), 1e3);
    }

    [Fact]
    public void ProtonsPerSecond_NegativeReading_IsZero()
    {
        Assert.Equal(0, Beam.ProtonsPerSecond(-0.3));
    }

    [Fact]
    public void AverageKilowatts_OneDayOfNominalProtons_Is140()
    {
        Assert.Equal(140, Beam.AverageKilowatts(Beam.ProtonsPerDay(140), TimeSpan.FromDays(1)), 1e-9);
    }
}
