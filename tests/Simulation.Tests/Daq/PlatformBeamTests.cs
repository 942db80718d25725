using Clovers.Monitor.Simulation.Daq;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Simulation.Tests.Daq;

/// <summary>The platform as the DAQ's beam: the DAQ must see the beam the beam.power channel shows.</summary>
public sealed class PlatformBeamTests
{
    private static (SimulatedPlatform Platform, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        return (new SimulatedPlatform(new SimulatedPlatformOptions { BeamTripsPerHour = 0 }, time), time);
    }

    [Fact]
    public async Task BeamPowerKilowatts_BeamOn_IsNominal()
    {
        var (platform, time) = Create();
        time.Advance(TimeSpan.FromSeconds(1));
        await platform.ReadAsync(CancellationToken.None);

        IBeamPowerSource beam = platform;

        Assert.Equal(140, beam.BeamPowerKilowatts);
    }

    [Fact]
    public async Task BeamPowerKilowatts_BeamTripFault_IsZeroAfterTheNextRead()
    {
        var (platform, time) = Create();
        platform.Faults.Set(FaultNames.BeamTrip);
        time.Advance(TimeSpan.FromSeconds(1));

        var readings = await platform.ReadAsync(CancellationToken.None);

        Assert.Equal((0.0, 0.0), (platform.BeamPowerKilowatts, readings.Single(r => r.Channel == SimulatedChannels.BeamPower).Value));
    }
}
