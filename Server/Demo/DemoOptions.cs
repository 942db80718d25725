using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Demo;

/// <summary>Configuration section <c>Demo</c>: the simulated CLOVERS platform run in-process.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>On in the embedded default; the dashboard then shows a SIMULATION badge.</summary>
    public bool Enabled { get; set; } = true;

    public string AgentId { get; set; } = "platform-sim";

    public int Seed { get; set; } = 7;

    public double SampleIntervalSeconds { get; set; } = 1;

    /// <summary>
    /// Ten times the platform's 3 K/h, so a drill sees the 78.5 K crystal warning after about
    /// 2.5 min rather than half an hour; recovery after the fault clears is as much faster.
    /// </summary>
    public double DewarWarmupKelvinPerHour { get; set; } = 30;

    /// <summary><c>Demo:Daq</c>: the simulated DAQ that runs beside the platform and sees its beam.</summary>
    public DemoDaqOptions Daq { get; set; } = new();
}

/// <summary>Configuration section <c>Demo:Daq</c>.</summary>
public sealed class DemoDaqOptions
{
    public bool Enabled { get; set; } = true;

    public string DaqId { get; set; } = "daq-sim";

    /// <summary>Simulated seconds per wall second: at 60 a minute of demo holds an hour of statistics.</summary>
    public double Acceleration { get; set; } = 60;

    public double HistogramIntervalSeconds { get; set; } = 10;

    public double StatusIntervalSeconds { get; set; } = 5;

    public int Seed { get; set; } = 8;
}

public sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        var problems = new List<string>();
        if (!ProtocolRules.IsValidSourceId(options.AgentId))
        {
            problems.Add($"Demo:AgentId '{options.AgentId}' must match {ProtocolRules.SourceIdPattern}.");
        }

        if (options.SampleIntervalSeconds is < 0.05 or > 3600)
        {
            problems.Add($"Demo:SampleIntervalSeconds {options.SampleIntervalSeconds} is outside [0.05, 3600].");
        }

        if (options.DewarWarmupKelvinPerHour is < 0.1 or > 600 or double.NaN)
        {
            problems.Add($"Demo:DewarWarmupKelvinPerHour {options.DewarWarmupKelvinPerHour} is outside [0.1, 600].");
        }

        ValidateDaq(problems, options.Daq);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateDaq(List<string> problems, DemoDaqOptions? daq)
    {
        if (daq is null)
        {
            return;
        }

        if (!ProtocolRules.IsValidSourceId(daq.DaqId))
        {
            problems.Add($"Demo:Daq:DaqId '{daq.DaqId}' must match {ProtocolRules.SourceIdPattern}.");
        }

        if (daq.Acceleration is < 0.001 or > 1_000_000 or double.NaN)
        {
            problems.Add($"Demo:Daq:Acceleration {daq.Acceleration} is outside [0.001, 1000000].");
        }

        if (daq.HistogramIntervalSeconds is < 0.1 or > 3600 or double.NaN)
        {
            problems.Add($"Demo:Daq:HistogramIntervalSeconds {daq.HistogramIntervalSeconds} is outside [0.1, 3600].");
        }

        if (daq.StatusIntervalSeconds is < 0.1 or > 300 or double.NaN)
        {
            problems.Add($"Demo:Daq:StatusIntervalSeconds {daq.StatusIntervalSeconds} is outside [0.1, 300].");
        }
    }
}
