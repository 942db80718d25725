namespace Clovers.Monitor.Simulation.Daq;

/// <summary>
/// Configuration of the simulated DAQ, bound from the <see cref="SectionName"/> section
/// (<c>--Daq:Enabled=true</c> turns the EdgeAgent into a DAQ). A class, not a record, so that
/// the password never ends up in a generated <c>ToString</c>. docs/physics.md explains the model.
/// </summary>
public sealed class DaqSimulatorOptions
{
    public const string SectionName = "Daq";

    /// <summary>When true the EdgeAgent runs as the (simulated) DAQ instead of the platform agent.</summary>
    public bool Enabled { get; set; }

    /// <summary>Lower-case id, part of the topics <c>clovers/v1/daq/{id}/…</c>.</summary>
    public string DaqId { get; set; } = "daq-1";

    public string BrokerHost { get; set; } = "127.0.0.1";

    public int BrokerPort { get; set; } = 1883;

    public string? Username { get; set; }

    /// <summary>Never logged.</summary>
    public string? Password { get; set; }

    public double ReconnectMinSeconds { get; set; } = 0.5;

    public double ReconnectMaxSeconds { get; set; } = 30;

    /// <summary>Same seed, same clock steps: same histograms.</summary>
    public int Seed { get; set; } = 20260102;

    /// <summary>Simulated seconds per wall-clock second: 60 fills an hour of statistics in a minute.</summary>
    public double Acceleration { get; set; } = 1;

    /// <summary>How often (wall clock) the simulation advances.</summary>
    public double StepSeconds { get; set; } = 1;

    /// <summary>How often (wall clock) the retained <c>DaqStatusMessage</c> is published; its heartbeat.</summary>
    public double StatusIntervalSeconds { get; set; } = 5;

    /// <summary>How often (wall clock) the cumulative histograms are published.</summary>
    public double HistogramIntervalSeconds { get; set; } = 10;

    /// <summary>First run number; 0 takes the start time (yyMMddHHmmss, UTC) so a restart never repeats a number.</summary>
    public long RunNumber { get; set; }

    /// <summary>Share of the time the digitizer is busy and misses triggers.</summary>
    public double DeadTimeFraction { get; set; } = 0.01;

    /// <summary>Upper edge of the NPE histograms, from 0; the analysis region 4–72 NPE must fit.</summary>
    public double NpeMaximum { get; set; } = 200;

    /// <summary>NPE bin width; 4 and 72 must be bin edges.</summary>
    public double NpeBinWidth { get; set; } = 1;

    /// <summary>Upper edge of the SPE charge histograms, from 0 pC.</summary>
    public double ChargeMaximumPicocoulombs { get; set; } = 4;

    public double ChargeBinWidthPicocoulombs { get; set; } = 0.02;

    /// <summary>Dark-pulse rate of each PMT at 77 K.</summary>
    public double PmtDarkRateHertz { get; set; } = 111;

    /// <summary>
    /// Gain of every PMT unless <see cref="PmtGains"/> says otherwise: 5×10⁶ puts the single
    /// photo-electron peak at 5e6 × e = 0.80 pC, an R11065 near its 1500 V setpoint.
    /// </summary>
    public double NominalGain { get; set; } = 5e6;

    /// <summary>Gains by PMT name (<c>sd1a</c> … <c>sd4b</c>) that differ from <see cref="NominalGain"/>.</summary>
    public Dictionary<string, double> PmtGains { get; set; } = [];

    /// <summary>How fast (per simulated hour) the <c>pmt-gain-drift</c> fault lowers the gain of <see cref="DriftingPmt"/>.</summary>
    public double GainDriftPercentPerHour { get; set; } = 3;

    /// <summary>The PMT the <c>pmt-gain-drift</c> fault acts on.</summary>
    public string DriftingPmt { get; set; } = "sd3b";

    /// <summary>Cosmic muon rate of the plastic-scintillator veto, reported in the status.</summary>
    public double VetoRateHertz { get; set; } = 250;

    /// <summary>Standalone only: nominal power of the DAQ's own beam model.</summary>
    public double BeamNominalKilowatts { get; set; } = 140;

    /// <summary>Standalone only: spontaneous trips per hour of the DAQ's own beam model.</summary>
    public double BeamTripsPerHour { get; set; } = 0.5;

    /// <summary>Announced in the status; the assembly version when empty.</summary>
    public string? Version { get; set; }
}
