using Clovers.Monitor.Simulation.Agent;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(args);

builder.AddSimulatedEdgeAgent();

using var host = builder.Build();

// The settings are read before anything starts, so a bad configuration is reported as a list
// to fix in one go rather than as a stack trace from the first service that reads it.
IReadOnlyList<string> problems;
try
{
    _ = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
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
    await Console.Error.WriteLineAsync($"The agent cannot start, its configuration has {problems.Count} problem(s):");
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync($"  - {problem}");
    }

    return 2;
}

await host.RunAsync();
return 0;
