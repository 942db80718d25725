using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Simulation.Platform;

/// <summary>
/// Ids and descriptors of every channel of the simulated platform. The ids are stable: stored
/// series, alarm rules and dashboards refer to them.
/// </summary>
public static class SimulatedChannels
{
    public const string Ln2Level = "cryo.ln2.level";
    public const string DewarPressure = "cryo.dewar.pressure";
    public const string DewarTopTemperature = "cryo.temp.dewar_top";
    public const string DewarBottomTemperature = "cryo.temp.dewar_bottom";
    public const string BeamPower = "beam.power";
    public const string VetoRate = "veto.rate";
    public const string TriggerRate = "daq.trigger.rate";

    /// <summary>The four sub-detectors, one CsI crystal each.</summary>
    public const int SubDetectorCount = 4;

    /// <summary>Two PMTs per crystal: <c>sd1a, sd1b, …, sd4b</c>.</summary>
    public static IReadOnlyList<string> Pmts { get; } =
        [.. Enumerable.Range(1, SubDetectorCount).SelectMany(sd => new[] { $"sd{sd}a", $"sd{sd}b" })];

    /// <summary>Crystal temperature of sub-detector 1..4.</summary>
    public static string CrystalTemperature(int subDetector) => $"cryo.temp.sd{subDetector}";

    public static string PmtHvSet(string pmt) => $"pmt.{pmt}.hv.set";

    public static string PmtHvRead(string pmt) => $"pmt.{pmt}.hv.read";

    public static string PmtCurrent(string pmt) => $"pmt.{pmt}.current";

    public static string PmtDarkRate(string pmt) => $"pmt.{pmt}.darkrate";

    /// <summary>Seconds since the agent started; its heartbeat.</summary>
    public static string AgentUptime(string agentId) => $"agent.{agentId}.uptime";

    /// <summary>Counting window of the dark-rate scalers.</summary>
    public const double DarkRateWindowSeconds = 10;

    /// <summary>Counting window of the veto and trigger scalers.</summary>
    public const double RateWindowSeconds = 1;

    /// <summary>Resistance of an R11065 voltage divider: 1500 V drives 100 µA.</summary>
    public const double DividerMegaohms = 15;

    /// <summary>The channels in a stable order: cryogenics, PMTs, beam, veto, DAQ, agent.</summary>
    /// <param name="options">The platform's configuration.</param>
    /// <param name="pmtSetpoint">
    /// The present HV setpoint of a PMT by name; the readback and current bands are centred on it, so
    /// a PMT sitting on a commanded voltage reads as healthy. Null: every PMT at the configured voltage.
    /// </param>
    public static IReadOnlyList<ChannelDescriptor> Describe(SimulatedPlatformOptions options, Func<string, double>? pmtSetpoint = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var channels = new List<ChannelDescriptor>();

        var temperatureNominal = new Band(77.0, 77.8);
        var temperatureWarn = new Band(null, 78.5);
        var temperatureAlarm = new Band(null, 80);
        for (var sd = 1; sd <= SubDetectorCount; sd++)
        {
            channels.Add(new ChannelDescriptor(
                CrystalTemperature(sd), "K", $"CsI crystal temperature, sub-detector {sd}",
                ChannelGroup.Cryogenics, temperatureNominal, 1)
            { Warn = temperatureWarn, Alarm = temperatureAlarm });
        }

        channels.Add(new ChannelDescriptor(
            DewarTopTemperature, "K", "Dewar temperature above the liquid (neck)",
            ChannelGroup.Cryogenics, temperatureNominal, 1)
        { Warn = temperatureWarn, Alarm = temperatureAlarm });
        channels.Add(new ChannelDescriptor(
            DewarBottomTemperature, "K", "Dewar temperature at the bottom, in the liquid",
            ChannelGroup.Cryogenics, temperatureNominal, 1)
        { Warn = temperatureWarn, Alarm = temperatureAlarm });
        channels.Add(new ChannelDescriptor(
            Ln2Level, "%", "Liquid nitrogen level in the Dewar (autofill keeps it between the refill limits)",
            ChannelGroup.Cryogenics, new Band(60, 95), 1)
        { Warn = new Band(40, null), Alarm = new Band(25, null) });
        channels.Add(new ChannelDescriptor(
            DewarPressure, "kPa", "Dewar gas pressure, absolute",
            ChannelGroup.Cryogenics, new Band(100, 106), 1)
        { Warn = new Band(null, 110), Alarm = new Band(null, 120) });

        foreach (var pmt in Pmts)
        {
            var hv = pmtSetpoint?.Invoke(pmt) ?? options.PmtHighVoltageVolts;
            var current = hv / DividerMegaohms;
            channels.Add(new ChannelDescriptor(
                PmtHvSet(pmt), "V", $"High-voltage setpoint of PMT {pmt}",
                ChannelGroup.Pmt, new Band(0, 1750), 10));
            channels.Add(new ChannelDescriptor(
                PmtHvRead(pmt), "V", $"High-voltage readback of PMT {pmt}",
                ChannelGroup.Pmt, new Band(hv - 2, hv + 2), 1)
            { Warn = new Band(hv - 5, hv + 5), Alarm = new Band(hv - 20, hv + 20) });
            channels.Add(new ChannelDescriptor(
                PmtCurrent(pmt), "µA", $"Supply current of PMT {pmt} (voltage-divider current)",
                ChannelGroup.Pmt, new Band(current * 0.98, current * 1.02), 1)
            { Warn = new Band(current * 0.95, current * 1.05), Alarm = new Band(current * 0.8, current * 1.2) });
            channels.Add(new ChannelDescriptor(
                PmtDarkRate(pmt), "Hz", $"Dark count rate of PMT {pmt}, counted over {DarkRateWindowSeconds:0} s",
                ChannelGroup.Pmt, new Band(50, 170), DarkRateWindowSeconds)
            { Warn = new Band(null, 222), Alarm = new Band(1, 555) });
        }

        var beam = options.BeamNominalKilowatts;
        channels.Add(new ChannelDescriptor(
            BeamPower, "kW", "CSNS proton beam power on target (1.6 GeV, 25 Hz)",
            ChannelGroup.Beam, new Band(beam * 0.9, beam + 10), 1)
        { Warn = new Band(beam * 0.5, null) });

        var veto = options.VetoRateHertz;
        channels.Add(new ChannelDescriptor(
            VetoRate, "Hz", "Muon veto rate (plastic scintillator, cosmic muons)",
            ChannelGroup.Veto, new Band(veto * 0.8, veto * 1.2), RateWindowSeconds)
        { Warn = new Band(veto * 0.7, veto * 1.3), Alarm = new Band(1, null) });

        var trigger = options.TriggerRateHertz;
        channels.Add(new ChannelDescriptor(
            TriggerRate, "Hz", "DAQ trigger rate (the beam pulse is the external trigger)",
            ChannelGroup.Daq, new Band(trigger - 0.5, trigger + 0.5), RateWindowSeconds)
        { Warn = new Band(trigger - 1, trigger + 1) });

        channels.Add(new ChannelDescriptor(
            AgentUptime(options.AgentId), "s", $"Seconds since agent {options.AgentId} started (heartbeat)",
            ChannelGroup.Agent, new Band(0, null), 1));

        return channels;
    }
}
