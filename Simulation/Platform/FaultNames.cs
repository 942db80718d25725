namespace Clovers.Monitor.Simulation.Platform;

/// <summary>Names of the faults a demo or a test can inject; stable, used in URLs later.</summary>
public static class FaultNames
{
    /// <summary>Crystal and Dewar temperatures rise by about 3 K/h.</summary>
    public const string DewarWarmup = "dewar-warmup";

    /// <summary>LN2 level falls by 20 %/h and the autofill cannot hold it.</summary>
    public const string Ln2Leak = "ln2-leak";

    /// <summary>The supply of sub-detector 1 trips: both its PMTs lose their high voltage.</summary>
    public const string HvTrip = "hv-trip";

    /// <summary>PMT sd2a counts six times its normal dark rate.</summary>
    public const string PmtNoisy = "pmt-noisy";

    /// <summary>The proton beam is off until the fault is cleared, then ramps back.</summary>
    public const string BeamTrip = "beam-trip";

    /// <summary><c>cryo.temp.dewar_top</c> toggles across its 78.5 K warning edge every few seconds.</summary>
    public const string FlappingSensor = "flapping-sensor";

    /// <summary>
    /// The gain of PMT sd3b falls by a few percent per simulated hour (the DAQ simulator's SPE
    /// peak moves); with the demo's accelerated DAQ clock, by more than 5 % within minutes.
    /// </summary>
    public const string PmtGainDrift = "pmt-gain-drift";

    /// <summary>
    /// The agent stays connected but publishes nothing. Not a platform fault: it is handled by
    /// <see cref="Agent.AgentRuntime.Silenced"/>.
    /// </summary>
    public const string AgentSilent = "agent-silent";

    /// <summary>Every fault <see cref="PlatformFaults"/> accepts.</summary>
    public static IReadOnlyList<string> Platform { get; } =
        [DewarWarmup, Ln2Leak, HvTrip, PmtNoisy, BeamTrip, FlappingSensor, PmtGainDrift];

    /// <summary>Every fault a demo can offer: the platform's plus <see cref="AgentSilent"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Platform, AgentSilent];
}
