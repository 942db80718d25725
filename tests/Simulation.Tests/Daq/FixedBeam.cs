using Clovers.Monitor.Simulation.Daq;

namespace Clovers.Monitor.Simulation.Tests.Daq;

/// <summary>A beam held at a power the test sets.</summary>
public sealed class FixedBeam(double kilowatts) : IBeamPowerSource
{
    public double BeamPowerKilowatts { get; set; } = kilowatts;
}
