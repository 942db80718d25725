using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>Checks <see cref="HvControlOptions"/>: hard limits never above the tube's, a reachable supply, channels that make sense.</summary>
public sealed class HvControlOptionsValidator : IValidateOptions<HvControlOptions>
{
    private const string Section = HvControlOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, HvControlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!double.IsFinite(options.HardMaxVolts) || options.HardMaxVolts <= 0 || options.HardMaxVolts > HvControlOptions.R11065MaxVolts)
        {
            problems.Add($"{Section}:HardMaxVolts {options.HardMaxVolts} is outside (0, {HvControlOptions.R11065MaxVolts}] (the R11065 maximum).");
        }

        if (!double.IsFinite(options.HardMaxRampVoltsPerSecond) || options.HardMaxRampVoltsPerSecond <= 0 || options.HardMaxRampVoltsPerSecond > 500)
        {
            problems.Add($"{Section}:HardMaxRampVoltsPerSecond {options.HardMaxRampVoltsPerSecond} is outside (0, 500].");
        }

        if (options.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.Supply.Host))
            {
                problems.Add($"{Section}:Supply:Host is empty.");
            }

            if (options.Supply.Port is < 1 or > 65535)
            {
                problems.Add($"{Section}:Supply:Port {options.Supply.Port} is outside 1–65535.");
            }

            if (!double.IsFinite(options.Supply.TimeoutSeconds) || options.Supply.TimeoutSeconds is <= 0 or > 60)
            {
                problems.Add($"{Section}:Supply:TimeoutSeconds {options.Supply.TimeoutSeconds} is outside (0, 60].");
            }
        }

        var channels = options.Channels ?? [];
        if (channels.Values.Any(channel => channel < 0))
        {
            problems.Add($"{Section}:Channels has negative channel numbers.");
        }

        if (channels.Values.Distinct().Count() != channels.Count)
        {
            problems.Add($"{Section}:Channels wires two PMTs to the same supply channel.");
        }

        if (options.RememberedCommands is < 1 or > 100_000)
        {
            problems.Add($"{Section}:RememberedCommands {options.RememberedCommands} is outside 1–100000.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
