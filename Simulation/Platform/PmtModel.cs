using Clovers.Monitor.Simulation.Instruments;

namespace Clovers.Monitor.Simulation.Platform;

/// <summary>One R11065 PMT on its channel of the HV supply: voltage, divider current and dark counts.</summary>
internal sealed class PmtModel(string name, HvChannelBank supply, int channel, double nominalVolts, double darkRateMean)
{
    // Gain, and with it the dark rate above threshold, grows steeply with voltage.
    private const double DarkRateVoltageExponent = 8;

    public string Name { get; } = name;

    public int Channel { get; } = channel;

    public double DarkRateMean { get; } = darkRateMean;

    public double Setpoint => supply.Read(Channel).Setpoint;

    public double Voltage => supply.Read(Channel).Voltage;

    public double ReadVoltage(NoiseSource noise) => Voltage is var v && v <= 0 ? 0 : v + noise.Gaussian(0.1);

    public double ReadCurrent(NoiseSource noise) =>
        Voltage is var v && v <= 0 ? 0 : (v / SimulatedChannels.DividerMegaohms) + noise.Gaussian(0.02);

    /// <summary>Counts over the scaler window divided by the window, so a dead tube reads exactly 0.</summary>
    public double ReadDarkRate(NoiseSource noise, double multiplier)
    {
        var window = SimulatedChannels.DarkRateWindowSeconds;
        // Relative to the nominal voltage the mean rate belongs to: a commanded rise brightens the tube.
        var gain = nominalVolts > 0 ? Math.Pow(Math.Max(0, Voltage) / nominalVolts, DarkRateVoltageExponent) : 0;
        return noise.Poisson(DarkRateMean * multiplier * gain * window) / window;
    }
}
