using Clovers.Monitor.Shared.Physics;

namespace Clovers.Monitor.Shared.Tests.Physics;

public sealed class ExposureIntegratorTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<BeamPowerInterval> Hourly(params double?[] kilowatts) =>
        [.. kilowatts.Select((kw, i) => new BeamPowerInterval(s_start.AddHours(i), TimeSpan.FromHours(1), kw))];

    [Fact]
    public void Integrate_OneDayAtNominal_Gives472E19Protons()
    {
        var exposure = ExposureIntegrator.Integrate(Hourly([.. Enumerable.Repeat<double?>(140, 24)]), s_start, s_start.AddDays(1), 12);

        Assert.Equal(4.72e19, BeamTests.ThreeSignificantFigures(exposure.ProtonsOnTarget));
    }

    [Fact]
    public void Integrate_OneDay_IsTwelveKilogramDays()
    {
        var exposure = ExposureIntegrator.Integrate(Hourly([.. Enumerable.Repeat<double?>(140, 24)]), s_start, s_start.AddDays(1), 12);

        Assert.Equal(12, exposure.KilogramDays, 1e-9);
    }

    [Fact]
    public void Integrate_Gap_CountsAsNoBeamAndNoLiveTime()
    {
        var exposure = ExposureIntegrator.Integrate(Hourly(140, null, 140), s_start, s_start.AddHours(3), 12);

        Assert.Equal((Beam.ProtonsOnTarget(140, TimeSpan.FromHours(2)), 2.0 / 24), (exposure.ProtonsOnTarget, exposure.LiveDays));
    }

    [Fact]
    public void Integrate_BeamTrip_CountsNeitherProtonsNorLiveTime()
    {
        var exposure = ExposureIntegrator.Integrate(Hourly(140, 0, 140), s_start, s_start.AddHours(3), 12);

        Assert.Equal((Beam.ProtonsOnTarget(140, TimeSpan.FromHours(2)), 2.0 / 24), (exposure.ProtonsOnTarget, exposure.LiveDays));
    }

    [Fact]
    public void Integrate_HourWithAQuarterTripped_CountsThreeQuartersLive()
    {
        var exposure = ExposureIntegrator.Integrate([new BeamPowerInterval(s_start, TimeSpan.FromHours(1), 105, 0, 140)], s_start, s_start.AddHours(1), 12);

        Assert.Equal(0.75 / 24, exposure.LiveDays, 1e-12);
    }

    [Fact]
    public void Integrate_RampingHour_CountsFullyLive()
    {
        var exposure = ExposureIntegrator.Integrate([new BeamPowerInterval(s_start, TimeSpan.FromHours(1), 70, 0.5, 140)], s_start, s_start.AddHours(1), 12);

        Assert.Equal(1.0 / 24, exposure.LiveDays, 1e-12);
    }

    [Fact]
    public void Integrate_RangeCutsAnInterval_CountsOnlyTheOverlap()
    {
        var exposure = ExposureIntegrator.Integrate(Hourly(140, 140), s_start.AddMinutes(30), s_start.AddMinutes(90), 12);

        Assert.Equal(Beam.ProtonsOnTarget(140, TimeSpan.FromHours(1)), exposure.ProtonsOnTarget, 1e6);
    }

    [Fact]
    public void Cumulative_ThreeHours_EndsWithTheTotalAndGrows()
    {
        var points = ExposureIntegrator.Cumulative(Hourly(140, 70, 140), s_start, s_start.AddHours(3), 12);

        Assert.Equal(
            [Beam.ProtonsOnTarget(140, TimeSpan.FromHours(1)), Beam.ProtonsOnTarget(210, TimeSpan.FromHours(1)), Beam.ProtonsOnTarget(350, TimeSpan.FromHours(1))],
            points.Select(p => Math.Round(p.Exposure.ProtonsOnTarget / 1e10) * 1e10).ToArray(),
            new RelativeComparer(1e-9));
    }

    private sealed class RelativeComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(Math.Abs(x), Math.Abs(y));

        public int GetHashCode(double obj) => 0;
    }
}
