namespace Clovers.Monitor.Simulation.Instruments;

/// <summary>One HV channel as the supply knows it.</summary>
/// <param name="Setpoint">The commanded voltage.</param>
/// <param name="Voltage">The voltage at the output now (ramping towards the setpoint, 0 when off or tripped).</param>
public sealed record HvChannelSnapshot(double Setpoint, double Voltage, double RampVoltsPerSecond, bool OutputOn, bool Tripped);

/// <summary>
/// The channels of a multi-channel HV supply (CAEN/iseg style): a setpoint, an output that ramps
/// to it at the channel's ramp rate, an on/off switch and a trip. Time comes from the injected
/// clock and the state advances whenever it is looked at, so a fake clock drives it exactly.
/// Thread-safe. The simulated platform reads its PMT voltages from one of these, and the SCPI
/// simulator (<see cref="HvSupplySimulator"/>) serves one over TCP.
/// </summary>
public sealed class HvChannelBank
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Channel[] _channels;
    private DateTimeOffset _last;

    /// <param name="channels">Number of channels, numbered from 0.</param>
    /// <param name="initialVolts">Every channel starts on, at this setpoint and already there.</param>
    /// <param name="rampVoltsPerSecond">Initial ramp rate of every channel.</param>
    /// <param name="maxVolts">The supply's own hardware maximum: setpoints above it are refused.</param>
    public HvChannelBank(int channels, double initialVolts, double rampVoltsPerSecond, double maxVolts, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rampVoltsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(initialVolts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialVolts, maxVolts);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _last = time.GetUtcNow();
        MaxVolts = maxVolts;
        _channels = [.. Enumerable.Range(0, channels).Select(_ => new Channel
        {
            Setpoint = initialVolts,
            Voltage = initialVolts,
            Ramp = rampVoltsPerSecond,
            On = true,
        })];
    }

    /// <summary>Fastest ramp a channel accepts.</summary>
    public const double MaxRampVoltsPerSecond = 500;

    public int Count => _channels.Length;

    public double MaxVolts { get; }

    public HvChannelSnapshot Read(int channel)
    {
        lock (_gate)
        {
            var c = Advance(channel);
            return new HvChannelSnapshot(c.Setpoint, c.Voltage, c.Ramp, c.On, c.Tripped);
        }
    }

    /// <summary>Sets the setpoint; the output ramps to it. Throws <see cref="ArgumentOutOfRangeException"/> outside 0..<see cref="MaxVolts"/>.</summary>
    public void SetVoltage(int channel, double volts)
    {
        if (!double.IsFinite(volts) || volts < 0 || volts > MaxVolts)
        {
            throw new ArgumentOutOfRangeException(nameof(volts), volts, $"Setpoint must be within 0–{MaxVolts} V.");
        }

        lock (_gate)
        {
            Advance(channel).Setpoint = volts;
        }
    }

    /// <summary>Sets the ramp rate. Throws <see cref="ArgumentOutOfRangeException"/> outside (0, <see cref="MaxRampVoltsPerSecond"/>].</summary>
    public void SetRamp(int channel, double voltsPerSecond)
    {
        if (!double.IsFinite(voltsPerSecond) || voltsPerSecond <= 0 || voltsPerSecond > MaxRampVoltsPerSecond)
        {
            throw new ArgumentOutOfRangeException(nameof(voltsPerSecond), voltsPerSecond, $"Ramp must be within (0, {MaxRampVoltsPerSecond}] V/s.");
        }

        lock (_gate)
        {
            Advance(channel).Ramp = voltsPerSecond;
        }
    }

    public void SetOutput(int channel, bool on)
    {
        lock (_gate)
        {
            Advance(channel).On = on;
        }
    }

    /// <summary>A trip drops the output to 0 at once; once cleared the channel ramps back up to its setpoint.</summary>
    public void SetTripped(int channel, bool tripped)
    {
        lock (_gate)
        {
            var c = Advance(channel);
            c.Tripped = tripped;
            if (tripped)
            {
                c.Voltage = 0;
            }
        }
    }

    private Channel Advance(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, _channels.Length);
        var now = _time.GetUtcNow();
        if (now > _last)
        {
            var seconds = (now - _last).TotalSeconds;
            foreach (var c in _channels)
            {
                // Ramping is linear, so one step of any length is exact.
                var target = c.On && !c.Tripped ? c.Setpoint : 0;
                var step = c.Ramp * seconds;
                c.Voltage = c.Voltage < target ? Math.Min(target, c.Voltage + step) : Math.Max(target, c.Voltage - step);
            }

            _last = now;
        }

        return _channels[channel];
    }

    private sealed class Channel
    {
        public double Setpoint { get; set; }

        public double Voltage { get; set; }

        public double Ramp { get; set; }

        public bool On { get; set; }

        public bool Tripped { get; set; }
    }
}
