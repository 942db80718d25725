namespace Clovers.Monitor.Simulation.Platform;

/// <summary>
/// The LN2 Dewar: level with boil-off and autofill, gas pressure, and the temperatures of the
/// crystals and the Dewar, which sit at the boiling point of nitrogen at the Dewar's pressure.
/// </summary>
internal sealed class CryostatModel
{
    // Near 1 atm the boiling point of N2 rises by roughly 0.08 K per kPa (Clausius–Clapeyron).
    private const double BoilingPointKelvinPerKilopascal = 0.08;
    private const double ReferencePressureKilopascal = 101.3;
    private const double CrystalBaseKelvin = 77.25;
    private const double BasePressureKilopascal = 101.9;
    private const double RefillPressureRiseKilopascal = 2.0;
    private const double NominalWarmupKelvinPerHour = 3.0;
    private const double LeakPercentPerHour = 20;
    private const double ExtraBoilOffPercentPerHourPerKelvin = 1.0;
    private const double FlapPeriodSeconds = 3;

    private static readonly TimeSpan s_pressureRelaxation = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan s_nominalWarmupRecovery = TimeSpan.FromMinutes(15);

    private readonly SimulatedPlatformOptions _options;
    private readonly TimeSpan _warmupRecovery;
    private readonly Wander _commonTemperature = new(0.04, TimeSpan.FromHours(2));
    private readonly Wander[] _crystalTemperature;
    private readonly Wander _pressure = new(0.2, TimeSpan.FromMinutes(30));
    private readonly double[] _crystalOffsets;
    private double _pressureBump;
    private TimeSpan _elapsed;

    public CryostatModel(SimulatedPlatformOptions options, NoiseSource noise)
    {
        if (!(options.DewarWarmupKelvinPerHour > 0) || double.IsInfinity(options.DewarWarmupKelvinPerHour))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DewarWarmupKelvinPerHour, "DewarWarmupKelvinPerHour must be a finite number above 0.");
        }

        _options = options;
        // A faster warm-up is a drill's fast-forward of the whole excursion: recovery speeds up in proportion.
        _warmupRecovery = s_nominalWarmupRecovery * (NominalWarmupKelvinPerHour / options.DewarWarmupKelvinPerHour);
        Level = Math.Clamp(options.Ln2InitialLevelPercent, 0, 100);
        _crystalTemperature = [.. Enumerable.Range(0, SimulatedChannels.SubDetectorCount).Select(_ => new Wander(0.015, TimeSpan.FromMinutes(20)))];
        // Calibration offsets of the individual sensors, fixed for a given seed.
        _crystalOffsets = [.. Enumerable.Range(0, SimulatedChannels.SubDetectorCount).Select(_ => noise.Uniform(-0.03, 0.03))];
    }

    /// <summary>True level in percent, before sensor noise.</summary>
    public double Level { get; private set; }

    public bool Refilling { get; private set; }

    /// <summary>Kelvin added to every temperature by a warm-up; decays once the fault clears.</summary>
    public double WarmupOffset { get; private set; }

    public double Pressure => BasePressureKilopascal + _pressure.Value + _pressureBump;

    public void Advance(NoiseSource noise, TimeSpan dt, PlatformFaults faults)
    {
        _elapsed += dt;
        var hours = dt.TotalHours;
        var leaking = faults.IsActive(FaultNames.Ln2Leak);

        WarmupOffset = faults.IsActive(FaultNames.DewarWarmup)
            ? WarmupOffset + (_options.DewarWarmupKelvinPerHour * hours)
            : WarmupOffset * Math.Exp(-dt / _warmupRecovery);

        var loss = (_options.Ln2BoilOffPercentPerHour + (ExtraBoilOffPercentPerHourPerKelvin * WarmupOffset)) * hours;
        if (leaking)
        {
            loss += LeakPercentPerHour * hours;
        }

        // The leak is in the transfer line: the autofill cannot hold the level while it lasts.
        if (!Refilling && !leaking && Level <= _options.Ln2RefillStartPercent)
        {
            Refilling = true;
        }

        if (Refilling && (leaking || Level >= _options.Ln2RefillStopPercent))
        {
            Refilling = false;
        }

        var gain = 0.0;
        if (Refilling)
        {
            var span = _options.Ln2RefillStopPercent - _options.Ln2RefillStartPercent;
            gain = ((span / (_options.Ln2RefillMinutes / 60.0)) + _options.Ln2BoilOffPercentPerHour) * hours;
        }

        Level = Math.Clamp(Level - loss + gain, 0, 100);

        // Filling flashes LN2 in the warm transfer line: the Dewar's pressure rises a little.
        var bumpTarget = (Refilling ? RefillPressureRiseKilopascal : 0) + Math.Min(6, 0.3 * WarmupOffset);
        _pressureBump = bumpTarget + ((_pressureBump - bumpTarget) * Math.Exp(-dt / s_pressureRelaxation));
        _pressure.Advance(noise, dt);
        _commonTemperature.Advance(noise, dt);
        foreach (var wander in _crystalTemperature)
        {
            wander.Advance(noise, dt);
        }
    }

    public double ReadLevel(NoiseSource noise) => Math.Clamp(Level + noise.Gaussian(0.05), 0, 100);

    public double ReadPressure(NoiseSource noise) => Pressure + noise.Gaussian(0.05);

    public double ReadCrystalTemperature(NoiseSource noise, int index) =>
        LiquidTemperature + _crystalOffsets[index] + _crystalTemperature[index].Value + noise.Gaussian(0.007);

    public double ReadBottomTemperature(NoiseSource noise) => LiquidTemperature + 0.02 + noise.Gaussian(0.007);

    public double ReadTopTemperature(NoiseSource noise, bool flapping)
    {
        if (flapping)
        {
            // A loose sensor contact: the reading jumps across the 78.5 K warning edge.
            var high = (long)(_elapsed.TotalSeconds / FlapPeriodSeconds) % 2 == 0;
            return (high ? 78.65 : 78.35) + noise.Gaussian(0.02);
        }

        // The neck sensor sits in cold gas above the liquid: it warms a little as the level falls.
        return LiquidTemperature + 0.05 + (0.004 * Math.Max(0, 95 - Level)) + noise.Gaussian(0.01);
    }

    private double LiquidTemperature =>
        CrystalBaseKelvin
        + (BoilingPointKelvinPerKilopascal * (Pressure - ReferencePressureKilopascal))
        + _commonTemperature.Value
        + WarmupOffset;
}
