using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Control;

/// <summary>
/// Section <c>Control:Hv</c>: the Server's HV policy. It is the first of two checks: the agent
/// holds every request against its own hard limits as well (the R11065's 1750 V).
/// </summary>
public sealed class HvControlOptions
{
    public const string SectionName = "Control:Hv";

    /// <summary>The tube's absolute maximum; the policy may only be stricter.</summary>
    public const double R11065MaxVolts = 1750;

    /// <summary>Highest setpoint the Server lets anyone command.</summary>
    public double MaxVolts { get; set; } = 1650;

    /// <summary>Largest change of one command, against the current setpoint.</summary>
    public double MaxStepVolts { get; set; } = 50;

    /// <summary>Ramp rate requested of the supply.</summary>
    public double RampVoltsPerSecond { get; set; } = 10;

    /// <summary>How long the Server waits for the agent's reply before it reports the command as unknown.</summary>
    public double ReplyTimeoutSeconds { get; set; } = 10;

    /// <summary>Commands shown by <c>GET /api/control/commands</c> at most.</summary>
    public int HistoryLimit { get; set; } = 200;
}

public sealed class HvControlOptionsValidator : IValidateOptions<HvControlOptions>
{
    private const string Section = HvControlOptions.SectionName;

    /// <summary>The settle time of the HV deviation alarms' design suppression, less a margin.</summary>
    public const double MaxRampSeconds = 100;

    public ValidateOptionsResult Validate(string? name, HvControlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!double.IsFinite(options.MaxVolts) || options.MaxVolts <= 0 || options.MaxVolts > HvControlOptions.R11065MaxVolts)
        {
            problems.Add($"{Section}:MaxVolts {options.MaxVolts} is outside (0, {HvControlOptions.R11065MaxVolts}] (the R11065 maximum).");
        }

        if (!double.IsFinite(options.MaxStepVolts) || options.MaxStepVolts <= 0 || options.MaxStepVolts > 500)
        {
            problems.Add($"{Section}:MaxStepVolts {options.MaxStepVolts} is outside (0, 500].");
        }

        if (!double.IsFinite(options.RampVoltsPerSecond) || options.RampVoltsPerSecond <= 0 || options.RampVoltsPerSecond > 50)
        {
            problems.Add($"{Section}:RampVoltsPerSecond {options.RampVoltsPerSecond} is outside (0, 50].");
        }

        if (!double.IsFinite(options.ReplyTimeoutSeconds) || options.ReplyTimeoutSeconds < 0.1 || options.ReplyTimeoutSeconds > 300)
        {
            problems.Add($"{Section}:ReplyTimeoutSeconds {options.ReplyTimeoutSeconds} is outside [0.1, 300].");
        }

        // The alarm engine suppresses a PMT's deviation alarms for 2 min after its setpoint moves:
        // a ramp over the largest step must be over by then, or it would raise them.
        if (options.RampVoltsPerSecond > 0 && options.MaxStepVolts / options.RampVoltsPerSecond > MaxRampSeconds)
        {
            problems.Add($"{Section}: a step of MaxStepVolts ({options.MaxStepVolts} V) at RampVoltsPerSecond ({options.RampVoltsPerSecond} V/s) takes longer than {MaxRampSeconds} s, the time HV alarms stay suppressed after a setpoint change.");
        }

        if (options.HistoryLimit is < 1 or > 10_000)
        {
            problems.Add($"{Section}:HistoryLimit {options.HistoryLimit} is outside 1–10000.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
