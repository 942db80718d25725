using Microsoft.Extensions.Hosting;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>Hosts the <see cref="AgentRuntime"/>; stopping the host stops it cleanly (offline status, disconnect).</summary>
public sealed class AgentWorker(AgentRuntime runtime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runtime.RunAsync(stoppingToken);
}
