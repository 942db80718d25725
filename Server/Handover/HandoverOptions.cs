using System.Net.Mail;
using Clovers.Monitor.Shared.Physics;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Handover;

/// <summary>Configuration section <c>Handover</c>: shift boundaries, the physics of the beam summary, and the optional e-mail at shift end.</summary>
public sealed class HandoverOptions
{
    public const string SectionName = "Handover";

    /// <summary>Hours (UTC) at which shifts begin; the default is three 8-hour shifts.</summary>
    public List<int> ShiftStartHoursUtc { get; set; } = [];

    public double DetectorMassKilograms { get; set; } = CloversFacts.DetectorMassKilograms;

    /// <summary>Nominal power (CSNS today: 140 kW); beam counts as on above 1 % of it.</summary>
    public double NominalBeamKilowatts { get; set; } = CloversFacts.NominalBeamKilowatts;

    public string BeamChannel { get; set; } = SimulatedChannels.BeamPower;

    public string Ln2LevelChannel { get; set; } = SimulatedChannels.Ln2Level;

    /// <summary>HV setpoint channels watched for changes, besides every declared <c>pmt.*.hv.set</c>.</summary>
    public List<string> HvSetpointChannels { get; set; } = [];

    /// <summary>Least rise of the LN2 level (percentage points) that counts as a refill.</summary>
    public double RefillMinRisePercent { get; set; } = 5;

    /// <summary>Least change of an HV setpoint (V) that counts.</summary>
    public double HvChangeMinVolts { get; set; } = 0.5;

    /// <summary>
    /// How long (s) before a setpoint change an accepted HV command of the monitor may lie and still
    /// be named as its cause. The new setpoint reaches the history with the agent's next readings
    /// (every few seconds, later when its outbox replays after a broker outage), and the agent's
    /// clock, which stamps them, may differ a little from the Server's: two minutes covers both
    /// without pairing a change with a command of another hour.
    /// </summary>
    public double HvCommandMatchSeconds { get; set; } = 120;

    /// <summary>When true, the report of each shift that ends is put into the notification outbox for <see cref="EmailRecipients"/>. Off by default.</summary>
    public bool EmailAtShiftEnd { get; set; }

    public List<string> EmailRecipients { get; set; } = [];

    public static IReadOnlyList<int> DefaultShiftStartHours { get; } = [0, 8, 16];

    public static IReadOnlyList<string> DefaultHvSetpointChannels { get; } =
        [.. SimulatedChannels.Pmts.Select(SimulatedChannels.PmtHvSet)];

    public IReadOnlyList<int> EffectiveShiftStartHours => ShiftStartHoursUtc.Count == 0 ? DefaultShiftStartHours : ShiftStartHoursUtc.Distinct().Order().ToList();

    public IReadOnlyList<string> EffectiveHvSetpointChannels => HvSetpointChannels.Count == 0 ? DefaultHvSetpointChannels : HvSetpointChannels;

    /// <summary>The shift that holds <paramref name="instant"/>: [its start, the next start).</summary>
    public (DateTimeOffset Start, DateTimeOffset End) ShiftAt(DateTimeOffset instant)
    {
        var hours = EffectiveShiftStartHours;
        var day = new DateTimeOffset(instant.UtcDateTime.Date, TimeSpan.Zero);
        var starts = new List<DateTimeOffset> { day.AddDays(-1).AddHours(hours[^1]) };
        starts.AddRange(hours.Select(h => day.AddHours(h)));
        starts.Add(day.AddDays(1).AddHours(hours[0]));
        var index = starts.FindLastIndex(s => s <= instant);
        return (starts[index], starts[index + 1]);
    }
}

/// <summary>Lists every problem of the <c>Handover</c> section at once.</summary>
public sealed class HandoverOptionsValidator : IValidateOptions<HandoverOptions>
{
    public ValidateOptionsResult Validate(string? name, HandoverOptions options)
    {
        var problems = new List<string>();
        if (options.ShiftStartHoursUtc.Any(h => h is < 0 or > 23))
        {
            problems.Add("Handover:ShiftStartHoursUtc must hold hours from 0 to 23.");
        }

        if (options.ShiftStartHoursUtc.Count != options.ShiftStartHoursUtc.Distinct().Count())
        {
            problems.Add("Handover:ShiftStartHoursUtc names an hour twice.");
        }

        Positive(problems, nameof(options.DetectorMassKilograms), options.DetectorMassKilograms);
        Positive(problems, nameof(options.NominalBeamKilowatts), options.NominalBeamKilowatts);
        Positive(problems, nameof(options.RefillMinRisePercent), options.RefillMinRisePercent);
        Positive(problems, nameof(options.HvChangeMinVolts), options.HvChangeMinVolts);
        if (!double.IsFinite(options.HvCommandMatchSeconds) || options.HvCommandMatchSeconds is <= 0 or > 3600)
        {
            problems.Add("Handover:HvCommandMatchSeconds must be above 0 and at most 3600.");
        }
        if (string.IsNullOrWhiteSpace(options.BeamChannel) || string.IsNullOrWhiteSpace(options.Ln2LevelChannel))
        {
            problems.Add("Handover:BeamChannel and Handover:Ln2LevelChannel must name channels.");
        }

        if (options.EmailAtShiftEnd && options.EmailRecipients.Count == 0)
        {
            problems.Add("Handover:EmailAtShiftEnd is true but Handover:EmailRecipients is empty.");
        }

        foreach (var address in options.EmailRecipients.Where(a => !MailAddress.TryCreate(a, out _)))
        {
            problems.Add($"Handover:EmailRecipients '{address}' is not an e-mail address.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Positive(List<string> problems, string key, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            problems.Add($"Handover:{key} must be above 0.");
        }
    }
}
