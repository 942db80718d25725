using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms;

/// <summary>Configuration section <c>Alarms</c>: beam gating, flap detection, the evaluation timer.</summary>
public sealed class AlarmOptions
{
    public const string SectionName = "Alarms";

    /// <summary>The channel whose power says whether the beam is on.</summary>
    public string BeamChannel { get; set; } = "beam.power";

    /// <summary>Beam on means the beam channel reads above this (kW).</summary>
    public double BeamOnKilowatts { get; set; } = 5;

    /// <summary>Nominal beam power the default beam rule compares against (kW).</summary>
    public double BeamNominalKilowatts { get; set; } = 140;

    /// <summary>More activations than this within <see cref="FlapWindowMinutes"/> mark an alarm as flapping.</summary>
    public int FlapActivations { get; set; } = 5;

    public double FlapWindowMinutes { get; set; } = 10;

    /// <summary>Period of <see cref="AlarmTimer"/>: delays, silence, shelve expiry.</summary>
    public double TickSeconds { get; set; } = 1;

    /// <summary>Longest an operator may shelve an alarm.</summary>
    public double MaxShelveHours { get; set; } = 72;

    /// <summary>
    /// Agents whose heartbeat the default rules watch. Empty in code because the configuration
    /// binder appends to a list's defaults rather than replacing them; appsettings.json names them.
    /// </summary>
    public List<string> Agents { get; set; } = [];

    /// <summary>
    /// DAQs whose silence, trigger rate, SPE gains and spectrum shapes the default rules watch
    /// (the demo's DAQ simulator is <c>daq-sim</c>). Empty in code for the same reason as <see cref="Agents"/>.
    /// </summary>
    public List<string> Daqs { get; set; } = [];
}

public sealed class AlarmOptionsValidator : IValidateOptions<AlarmOptions>
{
    public ValidateOptionsResult Validate(string? name, AlarmOptions options)
    {
        var problems = new List<string>();
        if (!ProtocolRules.IsValidChannelId(options.BeamChannel))
        {
            problems.Add($"Alarms:BeamChannel '{options.BeamChannel}' is not a valid channel id.");
        }

        if (!double.IsFinite(options.BeamOnKilowatts) || options.BeamOnKilowatts < 0)
        {
            problems.Add($"Alarms:BeamOnKilowatts {options.BeamOnKilowatts} must be ≥ 0.");
        }

        if (!double.IsFinite(options.BeamNominalKilowatts) || options.BeamNominalKilowatts <= options.BeamOnKilowatts)
        {
            problems.Add($"Alarms:BeamNominalKilowatts {options.BeamNominalKilowatts} must be above BeamOnKilowatts.");
        }

        if (options.FlapActivations is < 1 or > 1000)
        {
            problems.Add($"Alarms:FlapActivations {options.FlapActivations} is outside [1, 1000].");
        }

        if (options.FlapWindowMinutes is <= 0 or > 1440)
        {
            problems.Add($"Alarms:FlapWindowMinutes {options.FlapWindowMinutes} is outside (0, 1440].");
        }

        if (options.TickSeconds is < 0.05 or > 60)
        {
            problems.Add($"Alarms:TickSeconds {options.TickSeconds} is outside [0.05, 60].");
        }

        if (options.MaxShelveHours is <= 0 or > 24 * 31)
        {
            problems.Add($"Alarms:MaxShelveHours {options.MaxShelveHours} is outside (0, 744].");
        }

        foreach (var agent in options.Agents ?? [])
        {
            if (!ProtocolRules.IsValidSourceId(agent))
            {
                problems.Add($"Alarms:Agents '{agent}' does not match {ProtocolRules.SourceIdPattern}.");
            }
        }

        foreach (var daq in options.Daqs ?? [])
        {
            if (!ProtocolRules.IsValidSourceId(daq))
            {
                problems.Add($"Alarms:Daqs '{daq}' does not match {ProtocolRules.SourceIdPattern}.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
