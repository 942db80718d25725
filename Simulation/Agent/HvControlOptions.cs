using Clovers.Monitor.Simulation.Drivers;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>
/// The agent's HV control, section <c>Agent:Hv</c>: which SCPI supply it drives, which PMT hangs
/// on which channel, and its own hard limits. These limits are checked on the agent whatever the
/// Server's policy says, so a misconfigured or compromised Server still cannot overdrive a tube.
/// </summary>
public sealed class HvControlOptions
{
    public const string SectionName = "Agent:Hv";

    /// <summary>R11065 maximum supply voltage (Hamamatsu data sheet).</summary>
    public const double R11065MaxVolts = 1750;

    /// <summary>Off by default: an agent without a supply answers control requests with a refusal.</summary>
    public bool Enabled { get; set; }

    public ScpiConnectionOptions Supply { get; set; } = new();

    /// <summary>The highest setpoint this agent ever sends, whatever it is asked.</summary>
    public double HardMaxVolts { get; set; } = R11065MaxVolts;

    /// <summary>The fastest ramp this agent ever sets.</summary>
    public double HardMaxRampVoltsPerSecond { get; set; } = 50;

    /// <summary>Supply channel of each PMT; the default wires sd1a…sd4b to channels 0…7.</summary>
    public Dictionary<string, int> Channels { get; set; } = DefaultChannels();

    /// <summary>Command ids remembered for idempotent retries.</summary>
    public int RememberedCommands { get; set; } = 256;

    public static Dictionary<string, int> DefaultChannels() =>
        Platform.SimulatedChannels.Pmts.Select((pmt, index) => (pmt, index)).ToDictionary(p => p.pmt, p => p.index, StringComparer.Ordinal);
}
