using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Daq;
using Clovers.Monitor.Simulation.Drivers;
using Clovers.Monitor.Simulation.Instruments;

namespace Clovers.Monitor.Simulation.Platform;

/// <summary>
/// A simulated CLOVERS platform: LN2 Dewar, four CsI crystals, eight PMTs with their HV supply,
/// the CSNS beam, the muon veto and the DAQ trigger. Physics advances with the injected clock,
/// so a <c>FakeTimeProvider</c> can run a day in milliseconds; the same seed and the same clock
/// steps give the same readings.
/// </summary>
public sealed class SimulatedPlatform : IPlatformDriver, IBeamPowerSource
{
    // Long gaps are integrated in steps so that thresholds (autofill, ramps) are not overshot.
    private static readonly TimeSpan s_maxStep = TimeSpan.FromSeconds(10);

    // A reading due within this margin is taken now: timers tick a hair early or late.
    private static readonly TimeSpan s_dueTolerance = TimeSpan.FromMilliseconds(50);

    private const double NoisyPmtMultiplier = 6;
    private const string NoisyPmt = "sd2a";
    private static readonly string[] s_trippedPmts = ["sd1a", "sd1b"];

    // CAEN-style supplies ramp at tens of volts per second after a trip is cleared.
    private const double SupplyRampVoltsPerSecond = 50;

    // The crate's own ceiling, above the R11065's 1750 V: the tube's limit is the agent's to keep.
    private const double SupplyMaxVolts = 2000;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly NoiseSource _noise;
    private readonly CryostatModel _cryostat;
    private readonly BeamModel _beam;
    private readonly PmtModel[] _pmts;
    private readonly DateTimeOffset _startedAt;
    private readonly IReadOnlyList<ChannelDescriptor> _sampled;
    private readonly DateTimeOffset?[] _nextDue;
    private readonly Func<double>[] _measurements;
    private DateTimeOffset _lastAdvance;

    public SimulatedPlatform(SimulatedPlatformOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (!ProtocolRules.IsValidSourceId(options.AgentId))
        {
            throw new ArgumentException($"Agent id '{options.AgentId}' does not match {ProtocolRules.SourceIdPattern}.", nameof(options));
        }

        Options = options;
        _time = time;
        _noise = new NoiseSource(options.Seed);
        _startedAt = time.GetUtcNow();
        _lastAdvance = _startedAt;
        // Ids and periods never change; only the PMT bands follow the setpoints (see Channels).
        _sampled = SimulatedChannels.Describe(options);
        _nextDue = new DateTimeOffset?[_sampled.Count];

        _cryostat = new CryostatModel(options, _noise);
        _beam = new BeamModel(options);

        // Each tube its own dark rate, spread over about ±8 Hz but averaging exactly the configured mean.
        double[] spread = [-8, -5.5, -3, -1, 1, 3, 5.5, 8];
        _noise.Shuffle(spread);
        HvSupply = new HvChannelBank(SimulatedChannels.Pmts.Count, options.PmtHighVoltageVolts, SupplyRampVoltsPerSecond, Math.Max(SupplyMaxVolts, options.PmtHighVoltageVolts), time);
        _pmts = [.. SimulatedChannels.Pmts.Select((pmt, i) =>
            new PmtModel(pmt, HvSupply, i, options.PmtHighVoltageVolts, options.PmtDarkRateHertz + (spread[i % spread.Length] * options.PmtDarkRateHertz / 111.0)))];
        _measurements = [.. _sampled.Select(c => MeasurementOf(c.Id))];
    }

    public SimulatedPlatformOptions Options { get; }

    /// <summary>
    /// The PMTs' HV supply, channel i feeding PMT <c>SimulatedChannels.Pmts[i]</c>. Setpoints and
    /// ramps changed here (by the SCPI simulator serving it) show in every PMT reading.
    /// </summary>
    public HvChannelBank HvSupply { get; }

    /// <summary>The channels, with each PMT's readback and current bands around its present setpoint.</summary>
    public IReadOnlyList<ChannelDescriptor> Channels =>
        SimulatedChannels.Describe(Options, pmt => _pmts.First(p => p.Name == pmt).Setpoint);

    /// <summary>Inject and clear faults, thread-safe.</summary>
    public PlatformFaults Faults { get; } = new();

    /// <summary>Beam trips so far (spontaneous and injected); lets tests and the demo see them happen.</summary>
    public int BeamTrips
    {
        get
        {
            lock (_gate)
            {
                return _beam.Trips;
            }
        }
    }

    /// <summary>
    /// Beam power as of the last read, without jitter: the simulated DAQ sees the same beam as the
    /// beam.power channel. Reading it does not advance the platform, so the readings stay as
    /// deterministic as without a DAQ.
    /// </summary>
    public double BeamPowerKilowatts
    {
        get
        {
            lock (_gate)
            {
                return _beam.SteadyPower;
            }
        }
    }

    /// <summary>Mean dark rate of each PMT, by PMT name (sd1a…sd4b).</summary>
    public IReadOnlyDictionary<string, double> DarkRateMeans => _pmts.ToDictionary(p => p.Name, p => p.DarkRateMean);

    public ValueTask<IReadOnlyList<Reading>> ReadAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            AdvanceTo(now);
            return ValueTask.FromResult<IReadOnlyList<Reading>>(Sample(now));
        }
    }

    private void AdvanceTo(DateTimeOffset now)
    {
        var remaining = now > _lastAdvance ? now - _lastAdvance : TimeSpan.Zero;
        // At least one (possibly empty) step, so that a fault set just now shows in this very read.
        do
        {
            var step = remaining < s_maxStep ? remaining : s_maxStep;
            _cryostat.Advance(_noise, step, Faults);
            _beam.Advance(_noise, step, Faults.IsActive(FaultNames.BeamTrip));
            remaining -= step;
        }
        while (remaining > TimeSpan.Zero);

        // The supply ramps by its own clock; only the trip comes from here.
        var hvTripped = Faults.IsActive(FaultNames.HvTrip);
        foreach (var pmt in _pmts.Where(p => s_trippedPmts.Contains(p.Name)))
        {
            HvSupply.SetTripped(pmt.Channel, hvTripped);
        }

        if (now > _lastAdvance)
        {
            _lastAdvance = now;
        }
    }

    private List<Reading> Sample(DateTimeOffset now)
    {
        var readings = new List<Reading>(_sampled.Count);
        for (var i = 0; i < _sampled.Count; i++)
        {
            if (_nextDue[i] is { } due && now < due - s_dueTolerance)
            {
                continue;
            }

            var channel = _sampled[i];
            var period = TimeSpan.FromSeconds(channel.PeriodSeconds);
            var next = (_nextDue[i] ?? now) + period;
            // After a long pause start a fresh schedule instead of catching up reading by reading.
            _nextDue[i] = next <= now ? now + period : next;
            readings.Add(new Reading(channel.Id, now, _measurements[i]()));
        }

        return readings;
    }

    // Resolved once per channel so that a read does no string work.
    private Func<double> MeasurementOf(string channel)
    {
        switch (channel)
        {
            case SimulatedChannels.Ln2Level:
                return () => _cryostat.ReadLevel(_noise);
            case SimulatedChannels.DewarPressure:
                return () => _cryostat.ReadPressure(_noise);
            case SimulatedChannels.DewarTopTemperature:
                return () => _cryostat.ReadTopTemperature(_noise, Faults.IsActive(FaultNames.FlappingSensor));
            case SimulatedChannels.DewarBottomTemperature:
                return () => _cryostat.ReadBottomTemperature(_noise);
            case SimulatedChannels.BeamPower:
                return () => _beam.ReadPower(_noise);
            case SimulatedChannels.VetoRate:
                return () => _noise.Poisson(Options.VetoRateHertz * SimulatedChannels.RateWindowSeconds) / SimulatedChannels.RateWindowSeconds;
            case SimulatedChannels.TriggerRate:
                return () => _beam.BeamPresent ? Options.TriggerRateHertz : 0;
        }

        if (channel == SimulatedChannels.AgentUptime(Options.AgentId))
        {
            return () => Math.Max(0, (_lastAdvance - _startedAt).TotalSeconds);
        }

        for (var sd = 1; sd <= SimulatedChannels.SubDetectorCount; sd++)
        {
            var index = sd - 1;
            if (channel == SimulatedChannels.CrystalTemperature(sd))
            {
                return () => _cryostat.ReadCrystalTemperature(_noise, index);
            }
        }

        foreach (var pmt in _pmts)
        {
            if (channel == SimulatedChannels.PmtHvSet(pmt.Name))
            {
                return () => pmt.Setpoint;
            }

            if (channel == SimulatedChannels.PmtHvRead(pmt.Name))
            {
                return () => pmt.ReadVoltage(_noise);
            }

            if (channel == SimulatedChannels.PmtCurrent(pmt.Name))
            {
                return () => pmt.ReadCurrent(_noise);
            }

            if (channel == SimulatedChannels.PmtDarkRate(pmt.Name))
            {
                var canBeNoisy = pmt.Name == NoisyPmt;
                return () => pmt.ReadDarkRate(_noise, canBeNoisy && Faults.IsActive(FaultNames.PmtNoisy) ? NoisyPmtMultiplier : 1);
            }
        }

        throw new InvalidOperationException($"No model for channel '{channel}'.");
    }
}
