using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Daq;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(args);

// One process, one role: the platform's slow-control agent, or with Daq:Enabled=true the
// (simulated) DAQ publishing histograms.
var daqMode = builder.Configuration.GetValue($"{DaqSimulatorOptions.SectionName}:{nameof(DaqSimulatorOptions.Enabled)}", defaultValue: false);
if (daqMode)
{
    builder.AddSimulatedDaq();
}
else
{
    builder.AddSimulatedEdgeAgent();
}

using var host = builder.Build();

// The settings are read before anything starts, so a bad configuration is reported as a list
// to fix in one go rather than as a stack trace from the first service that reads it.
IReadOnlyList<string> problems;
try
{
    if (daqMode)
    {
        _ = host.Services.GetRequiredService<IOptions<DaqSimulatorOptions>>().Value;
    }
    else
    {
        _ = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    }

    problems = [];
}
catch (OptionsValidationException ex)
{
    problems = [.. ex.Failures];
}
catch (InvalidOperationException ex) when (ex.InnerException is ArgumentException or FormatException)
{
    // The binder's own words name the key and the value that does not convert.
    problems = [ex.Message];
}

if (problems.Count > 0)
{
    var role = daqMode ? "DAQ" : "agent";
    await Console.Error.WriteLineAsync($"The {role} cannot start, its configuration has {problems.Count} problem(s):");
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync($"  - {problem}");
    }

    return 2;
}

await host.RunAsync();
return 0;
