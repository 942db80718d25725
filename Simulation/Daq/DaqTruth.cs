namespace Clovers.Monitor.Simulation.Daq;

/// <summary>
/// What the simulator put into the analysis region (4–72 NPE, signal window, all four
/// sub-detectors) since the run started, by component: the drawn counts and the means they were
/// drawn from. Only a simulation knows this; tests compare it with the proposal's numbers.
/// </summary>
public sealed record DaqTruth(
    long Cevns,
    long BeamNeutrons,
    long DarkCounts,
    long Radioactive,
    double ExpectedCevns,
    double ExpectedBeamNeutrons,
    double ExpectedDarkCounts,
    double ExpectedRadioactive)
{
    public long Background => BeamNeutrons + DarkCounts + Radioactive;

    public long Total => Cevns + Background;
}
