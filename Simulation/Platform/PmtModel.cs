namespace Clovers.Monitor.Simulation.Platform;

/// <summary>One R11065 PMT with its HV channel: voltage, divider current and dark counts.</summary>
internal sealed class PmtModel(string name, double setpoint, double darkRateMean)
{
    // CAEN-style supplies ramp at tens of volts per second after a trip is cleared.
    private const double RampVoltsPerSecond = 50;

    // Gain, and with it the dark rate above threshold, grows steeply with voltage.
    private const double DarkRateVoltageExponent = 8;

    public string Name { get; } = name;

    public double Setpoint { get; } = setpoint;

    public double DarkRateMean { get; } = darkRateMean;

    public double Voltage { get; private set; } = setpoint;

    public void Advance(TimeSpan dt, bool tripped)
    {
        Voltage = tripped ? 0 : Math.Min(Setpoint, Voltage + (RampVoltsPerSecond * dt.TotalSeconds));
    }

    public double ReadVoltage(NoiseSource noise) => Voltage <= 0 ? 0 : Voltage + noise.Gaussian(0.1);

    public double ReadCurrent(NoiseSource noise) =>
        Voltage <= 0 ? 0 : (Voltage / SimulatedChannels.DividerMegaohms) + noise.Gaussian(0.02);

    /// <summary>Counts over the scaler window divided by the window, so a dead tube reads exactly 0.</summary>
    public double ReadDarkRate(NoiseSource noise, double multiplier)
    {
        var window = SimulatedChannels.DarkRateWindowSeconds;
        var gain = Setpoint > 0 ? Math.Pow(Math.Max(0, Voltage) / Setpoint, DarkRateVoltageExponent) : 0;
        return noise.Poisson(DarkRateMean * multiplier * gain * window) / window;
    }
}
