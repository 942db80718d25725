using Clovers.Monitor.Simulation.Agent;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(args);

builder.AddSimulatedEdgeAgent();

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // One line per problem, so that a bad configuration is fixed in one go.
    await Console.Error.WriteLineAsync($"The agent cannot start, its configuration has {ex.Failures.Count()} problem(s):");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync($"  - {failure}");
    }

    return 2;
}
