using Clovers.Monitor.Simulation.Daq;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Simulation.Tests.Daq;

public sealed class StandaloneBeamTests
{
    [Fact]
    public void BeamPowerKilowatts_NoTrips_StaysNearNominal()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var beam = new StandaloneBeam(new SimulatedPlatformOptions { BeamTripsPerHour = 0 }, time);

        var readings = Enumerable.Range(0, 100).Select(_ =>
        {
            time.Advance(TimeSpan.FromMinutes(1));
            return beam.BeamPowerKilowatts;
        }).ToList();

        Assert.All(readings, kw => Assert.InRange(kw, 139, 141));
    }

    [Fact]
    public void BeamPowerKilowatts_ManyTrips_IsSometimesOff()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var beam = new StandaloneBeam(new SimulatedPlatformOptions { BeamTripsPerHour = 30 }, time);

        var readings = Enumerable.Range(0, 600).Select(_ =>
        {
            time.Advance(TimeSpan.FromSeconds(30));
            return beam.BeamPowerKilowatts;
        }).ToList();

        Assert.Contains(0.0, readings);
    }
}
