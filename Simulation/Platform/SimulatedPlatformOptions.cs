namespace Clovers.Monitor.Simulation.Platform;

/// <summary>
/// Knobs of the simulated CLOVERS platform. Defaults follow the proposal's numbers (see
/// clovers-facts) and our assumed operating points; the server's demo mode and the EdgeAgent
/// bind them from the <see cref="SectionName"/> configuration section.
/// </summary>
public sealed class SimulatedPlatformOptions
{
    public const string SectionName = "Simulation";

    /// <summary>Agent whose uptime channel the platform carries (<c>agent.{id}.uptime</c>).</summary>
    public string AgentId { get; set; } = "platform-1";

    /// <summary>Same seed, same clock steps: same readings. Tests and demos rely on it.</summary>
    public int Seed { get; set; } = 20260101;

    /// <summary>Mean number of spontaneous beam trips per hour (a Poisson process).</summary>
    public double BeamTripsPerHour { get; set; } = 0.5;

    public double BeamNominalKilowatts { get; set; } = 140;

    public double BeamTripMinMinutes { get; set; } = 2;

    public double BeamTripMaxMinutes { get; set; } = 5;

    /// <summary>How long the accelerator takes to ramp back to nominal power after a trip.</summary>
    public double BeamRampMinutes { get; set; } = 5;

    public double Ln2InitialLevelPercent { get; set; } = 85;

    public double Ln2BoilOffPercentPerHour { get; set; } = 1.5;

    /// <summary>The autofill opens at this level...</summary>
    public double Ln2RefillStartPercent { get; set; } = 62;

    /// <summary>...and closes at this one.</summary>
    public double Ln2RefillStopPercent { get; set; } = 93;

    public double Ln2RefillMinutes { get; set; } = 20;

    /// <summary>
    /// How fast the crystals warm while the dewar-warmup fault lasts. Above 0. The recovery once it
    /// clears scales with it (15 min time constant at the default 3 K/h), so drills can fast-forward.
    /// </summary>
    public double DewarWarmupKelvinPerHour { get; set; } = 3;

    /// <summary>R11065 nominal setpoint (the tube takes at most 1750 V).</summary>
    public double PmtHighVoltageVolts { get; set; } = 1500;

    /// <summary>Mean PMT dark rate at 77 K; each tube gets its own mean spread around it.</summary>
    public double PmtDarkRateHertz { get; set; } = 111;

    /// <summary>Cosmic muon rate seen by the plastic-scintillator veto.</summary>
    public double VetoRateHertz { get; set; } = 250;

    public double TriggerRateHertz { get; set; } = 25;

    /// <summary>A copy for another agent id (the agent's id is the source of truth for its uptime channel).</summary>
    public SimulatedPlatformOptions ForAgent(string agentId)
    {
        var copy = (SimulatedPlatformOptions)MemberwiseClone();
        copy.AgentId = agentId;
        return copy;
    }
}
