using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Demo;

/// <summary>
/// Runs the simulated platform's agent inside the Server. It publishes through the same broker
/// the ingest reads (the embedded one, or the external one), so the demo exercises the
/// production path end to end.
/// </summary>
public sealed class DemoPlatformService : BackgroundService
{
    private readonly AgentRuntime _runtime;

    public DemoPlatformService(
        IOptions<DemoOptions> demo,
        IOptions<MqttOptions> mqtt,
        InProcessMqttLogins logins,
        SimulatedPlatform platform,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var login = logins.ForAgent(demo.Value.AgentId);
        var agentOptions = new AgentOptions
        {
            AgentId = demo.Value.AgentId,
            BrokerHost = mqtt.Value.Host,
            BrokerPort = mqtt.Value.Port,
            Username = login.Username,
            Password = login.Password,
            SampleIntervalSeconds = demo.Value.SampleIntervalSeconds,
            Simulated = true,
            Version = typeof(DemoPlatformService).Assembly.GetName().Version?.ToString() ?? "0.0.0",
        };
        _runtime = new AgentRuntime(agentOptions, platform, new MemoryOutbox(agentOptions.OutboxCapacity), time, loggers.CreateLogger<AgentRuntime>());
    }

    /// <summary>The running agent, for fault injection (for example silencing it).</summary>
    public AgentRuntime Runtime => _runtime;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _runtime.RunAsync(stoppingToken);

    public override void Dispose()
    {
        _runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }
}
