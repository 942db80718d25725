using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Simulation.Platform;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms.Rules;

/// <summary>
/// The rules CLOVERS starts with, from the nominal bands of the facts sheet. Delays are chosen
/// so that the simulated platform's noise, its autofill cycles and its beam trips never raise
/// one (a 24 h soak test checks it), while each fault raises its rule within minutes.
/// </summary>
public static class DefaultRules
{
    /// <summary>Channels the HV-tripped rule considers off: readback below this while the setpoint is above <see cref="HvArmedVolts"/>.</summary>
    public const double HvTrippedBelowVolts = 10;

    public const double HvArmedVolts = 100;

    private static readonly TimeSpan s_hvSettle = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_darkRateSettle = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<AlarmRule> Create(AlarmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new List<AlarmRule>();
        AddCryogenics(rules);
        foreach (var (pmt, index) in SimulatedChannels.Pmts.Select((p, i) => (p, i)))
        {
            AddPmt(rules, pmt, $"hv-supply-{(index / 2) + 1}");
        }

        AddBeamAndVeto(rules, options.BeamNominalKilowatts);
        foreach (var agent in options.Agents ?? [])
        {
            AddAgent(rules, agent);
        }

        foreach (var daq in options.Daqs ?? [])
        {
            AddDaq(rules, daq);
        }

        return rules;
    }

    private static void AddCryogenics(List<AlarmRule> rules)
    {
        var temperatures = Enumerable.Range(1, SimulatedChannels.SubDetectorCount)
            .Select(sd => (Channel: SimulatedChannels.CrystalTemperature(sd), Label: $"Crystal {sd} temperature", Drift: true))
            .Append((SimulatedChannels.DewarBottomTemperature, "Dewar bottom temperature", true))
            // The neck sensor follows the LN2 level through every autofill cycle: no drift rule on it.
            .Append((SimulatedChannels.DewarTopTemperature, "Dewar top temperature", false));
        foreach (var (channel, label, drift) in temperatures)
        {
            rules.Add(new LimitRule($"{channel}.high-warn", $"{label} above 78.5 K", AlarmSeverity.Warning, channel)
            {
                High = 78.5,
                Deadband = 0.2,
                OnDelay = TimeSpan.FromSeconds(30),
                OffDelay = TimeSpan.FromSeconds(60),
                GroupKey = "cryostat",
            });
            rules.Add(new LimitRule($"{channel}.high-alarm", $"{label} above 80 K", AlarmSeverity.Major, channel)
            {
                High = 80,
                Deadband = 0.3,
                OnDelay = TimeSpan.FromSeconds(10),
                OffDelay = TimeSpan.FromSeconds(60),
                GroupKey = "cryostat",
            });
            if (drift)
            {
                rules.Add(new RateOfChangeRule($"{channel}.drift", $"{label} drifting faster than 0.5 K/h", AlarmSeverity.Warning, channel)
                {
                    MaxPerHour = 0.5,
                    Window = TimeSpan.FromHours(1),
                    MinCoverage = 0.5,
                    OnDelay = TimeSpan.FromMinutes(5),
                    OffDelay = TimeSpan.FromMinutes(5),
                    GroupKey = "cryostat",
                });
            }
        }

        var level = SimulatedChannels.Ln2Level;
        rules.Add(new LimitRule($"{level}.low-warn", "LN2 level below 40 %", AlarmSeverity.Warning, level)
        {
            Low = 40,
            Deadband = 2,
            OnDelay = TimeSpan.FromSeconds(60),
            OffDelay = TimeSpan.FromSeconds(60),
            GroupKey = "cryostat",
        });
        rules.Add(new LimitRule($"{level}.low-alarm", "LN2 level below 25 %", AlarmSeverity.Major, level)
        {
            Low = 25,
            Deadband = 2,
            OnDelay = TimeSpan.FromSeconds(30),
            OffDelay = TimeSpan.FromSeconds(60),
            GroupKey = "cryostat",
        });
        rules.Add(new ForecastRule($"{level}.empty-forecast", "LN2 Dewar empty in less than 4 h", AlarmSeverity.Major, level)
        {
            EmptyAt = 0,
            Window = TimeSpan.FromHours(1),
            Horizon = TimeSpan.FromHours(4),
            MinCoverage = 0.25,
            OnDelay = TimeSpan.FromMinutes(2),
            OffDelay = TimeSpan.FromMinutes(5),
            GroupKey = "cryostat",
        });
    }

    private static void AddPmt(List<AlarmRule> rules, string pmt, string supply)
    {
        var read = SimulatedChannels.PmtHvRead(pmt);
        var set = SimulatedChannels.PmtHvSet(pmt);
        var ramping = new DesignSuppression(set, s_hvSettle);
        rules.Add(new SetpointDeviationRule($"{read}.deviation-warn", $"PMT {pmt} HV off its setpoint by more than 5 V", AlarmSeverity.Warning, read, set)
        {
            MaxDeviation = 5,
            Deadband = 1,
            ArmedAbove = HvArmedVolts,
            OnDelay = TimeSpan.FromSeconds(10),
            OffDelay = TimeSpan.FromSeconds(30),
            SuppressWhileMoving = ramping,
            GroupKey = supply,
        });
        rules.Add(new SetpointDeviationRule($"{read}.deviation-alarm", $"PMT {pmt} HV off its setpoint by more than 20 V", AlarmSeverity.Major, read, set)
        {
            MaxDeviation = 20,
            Deadband = 2,
            ArmedAbove = HvArmedVolts,
            OnDelay = TimeSpan.FromSeconds(5),
            OffDelay = TimeSpan.FromSeconds(30),
            SuppressWhileMoving = ramping,
            GroupKey = supply,
        });
        rules.Add(new SetpointDeviationRule($"{read}.tripped", $"PMT {pmt} HV tripped", AlarmSeverity.Critical, read, set)
        {
            TripBelow = HvTrippedBelowVolts,
            ArmedAbove = HvArmedVolts,
            OnDelay = TimeSpan.FromSeconds(2),
            OffDelay = TimeSpan.FromSeconds(30),
            GroupKey = supply,
        });

        var rate = SimulatedChannels.PmtDarkRate(pmt);
        var darkRamping = new DesignSuppression(set, s_darkRateSettle);
        rules.Add(new BaselineRule($"{rate}.high-warn", $"PMT {pmt} dark rate above 2× its 24 h baseline", AlarmSeverity.Warning, rate)
        {
            HighFactor = 2,
            OnDelay = TimeSpan.FromSeconds(60),
            OffDelay = TimeSpan.FromMinutes(2),
            SuppressWhileMoving = darkRamping,
            GroupKey = supply,
        });
        rules.Add(new BaselineRule($"{rate}.high-alarm", $"PMT {pmt} dark rate above 5× its 24 h baseline", AlarmSeverity.Major, rate)
        {
            HighFactor = 5,
            OnDelay = TimeSpan.FromSeconds(60),
            OffDelay = TimeSpan.FromMinutes(2),
            SuppressWhileMoving = darkRamping,
            GroupKey = supply,
        });
        rules.Add(new BaselineRule($"{rate}.dead", $"PMT {pmt} counts nothing (dead channel)", AlarmSeverity.Major, rate)
        {
            Floor = 0,
            OnDelay = TimeSpan.FromSeconds(30),
            OffDelay = TimeSpan.FromSeconds(60),
            SuppressWhileMoving = darkRamping,
            GroupKey = supply,
        });
    }

    private static void AddBeamAndVeto(List<AlarmRule> rules, double beamNominalKilowatts)
    {
        var beam = SimulatedChannels.BeamPower;
        // A trip (beam off) is information: the rule only counts while beam is on, so the ramp
        // back after a trip (a few minutes below half power) does not reach the 5 min delay.
        rules.Add(new LimitRule($"{beam}.low", "Beam power below 50 % of nominal for 5 min", AlarmSeverity.Warning, beam)
        {
            Low = beamNominalKilowatts * 0.5,
            Deadband = beamNominalKilowatts * 0.03,
            Beam = BeamCondition.OnlyWhileBeamOn,
            OnDelay = TimeSpan.FromMinutes(5),
            OffDelay = TimeSpan.FromSeconds(60),
            GroupKey = "beam",
        });

        var veto = SimulatedChannels.VetoRate;
        rules.Add(new BaselineRule($"{veto}.deviation", "Muon veto rate off its 24 h baseline by more than 30 %", AlarmSeverity.Warning, veto)
        {
            HighFactor = 1.3,
            LowFactor = 0.7,
            OnDelay = TimeSpan.FromSeconds(60),
            OffDelay = TimeSpan.FromSeconds(60),
            GroupKey = "veto",
        });
        rules.Add(new BaselineRule($"{veto}.dead", "Muon veto counts nothing", AlarmSeverity.Major, veto)
        {
            Floor = 0,
            OnDelay = TimeSpan.FromSeconds(10),
            OffDelay = TimeSpan.FromSeconds(60),
            GroupKey = "veto",
        });
    }

    private static void AddAgent(List<AlarmRule> rules, string agent)
    {
        rules.Add(new StaleRule($"agent.{agent}.silent-warn", $"Agent {agent} silent for 30 s", AlarmSeverity.Warning)
        {
            AgentId = agent,
            MaxSilence = TimeSpan.FromSeconds(30),
            GroupKey = $"agent-{agent}",
        });
        rules.Add(new StaleRule($"agent.{agent}.silent-alarm", $"Agent {agent} silent for 120 s", AlarmSeverity.Major)
        {
            AgentId = agent,
            MaxSilence = TimeSpan.FromSeconds(120),
            GroupKey = $"agent-{agent}",
        });
    }

    /// <summary>The beam trigger rate CSNS delivers: one DAQ trigger per proton pulse.</summary>
    public const double BeamTriggerHz = 25;

    private static void AddDaq(List<AlarmRule> rules, string daq)
    {
        var group = $"daq-{daq}";
        rules.Add(new StaleRule($"daq.{daq}.silent-warn", $"DAQ {daq} silent for 30 s", AlarmSeverity.Warning)
        {
            AgentId = daq,
            MaxSilence = TimeSpan.FromSeconds(30),
            GroupKey = group,
        });
        rules.Add(new StaleRule($"daq.{daq}.silent-alarm", $"DAQ {daq} silent for 120 s", AlarmSeverity.Major)
        {
            AgentId = daq,
            MaxSilence = TimeSpan.FromSeconds(120),
            GroupKey = group,
        });

        // Off 25 Hz while the beam is on means lost or spurious triggers; with the beam off there are none.
        var trigger = DaqChannels.TriggerRate(daq);
        rules.Add(new LimitRule($"{trigger}.off-nominal", $"DAQ {daq} trigger rate off 25 Hz by more than 10 % with beam on", AlarmSeverity.Warning, trigger)
        {
            Low = BeamTriggerHz * 0.9,
            High = BeamTriggerHz * 1.1,
            Deadband = 0.5,
            Beam = BeamCondition.OnlyWhileBeamOn,
            OnDelay = TimeSpan.FromSeconds(60),
            OffDelay = TimeSpan.FromSeconds(60),
            GroupKey = group,
        });

        foreach (var pmt in DaqChannels.Pmts)
        {
            var drift = DaqChannels.GainDrift(pmt);
            rules.Add(new LimitRule($"{drift}.warn", $"PMT {pmt} SPE gain more than 5 % from its reference", AlarmSeverity.Warning, drift)
            {
                Low = -5,
                High = 5,
                Deadband = 0.5,
                // Fits come minutes apart: two in a row beyond 5 % raise it, not one noisy fit.
                OnDelay = TimeSpan.FromMinutes(5),
                OffDelay = TimeSpan.FromMinutes(5),
                GroupKey = group,
            });
        }

        for (var sd = 1; sd <= DaqChannels.SubDetectors; sd++)
        {
            var shape = DaqChannels.Shape(daq, sd);
            rules.Add(new LimitRule($"{shape}.high", $"Sub-detector {sd} signal spectrum departs from the reference (χ²/ndf > 3)", AlarmSeverity.Warning, shape)
            {
                High = 3,
                Deadband = 0.3,
                OnDelay = TimeSpan.FromMinutes(10),
                OffDelay = TimeSpan.FromMinutes(10),
                GroupKey = group,
            });
        }
    }
}
