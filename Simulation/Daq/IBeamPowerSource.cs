namespace Clovers.Monitor.Simulation.Daq;

/// <summary>
/// The beam power the DAQ sees. In the Server's demo it is the simulated platform's own beam, so
/// the DAQ's protons on target follow the beam.power channel; standalone it is a
/// <see cref="StandaloneBeam"/>.
/// </summary>
public interface IBeamPowerSource
{
    /// <summary>Power on target now, in kW; 0 while the beam is tripped.</summary>
    double BeamPowerKilowatts { get; }
}
