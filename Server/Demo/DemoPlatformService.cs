using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Drivers;
using Clovers.Monitor.Simulation.Instruments;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Demo;

/// <summary>
/// Runs the simulated platform's agent inside the Server. It publishes through the same broker
/// the ingest reads (the embedded one, or the external one), so the demo exercises the
/// production path end to end. HV commands take the real agent's path too: the agent's SCPI
/// driver talks over loopback TCP to an SCPI supply simulator whose channels are the platform's
/// own HV supply, so every accepted command moves the PMT readings the platform publishes.
/// </summary>
public sealed class DemoPlatformService : BackgroundService
{
    private readonly AgentRuntime _runtime;
    private readonly HvSupplySimulator _supply;
    private readonly ScpiHvSupply _driver;
    private readonly HvCommandExecutor _executor;

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
        _supply = new HvSupplySimulator(platform.HvSupply, SimulatedChannels.DividerMegaohms, port: 0, loggers.CreateLogger<HvSupplySimulator>());
        _supply.Start();
        var hv = new HvControlOptions
        {
            Enabled = true,
            Supply = new ScpiConnectionOptions { Host = _supply.EndPoint.Address.ToString(), Port = _supply.EndPoint.Port },
        };
        _driver = new ScpiHvSupply(hv.Supply);
        _executor = new HvCommandExecutor(hv, _driver, time, loggers.CreateLogger<HvCommandExecutor>());
        _runtime = new AgentRuntime(agentOptions, platform, new MemoryOutbox(agentOptions.OutboxCapacity), time, loggers.CreateLogger<AgentRuntime>(), _executor);
    }

    /// <summary>The running agent, for fault injection (for example silencing it).</summary>
    public AgentRuntime Runtime => _runtime;

    /// <summary>The SCPI supply the demo agent drives, with the log of every command it received.</summary>
    public HvSupplySimulator Supply => _supply;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _runtime.RunAsync(stoppingToken);

    public override void Dispose()
    {
        _runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _executor.Dispose();
        _driver.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _supply.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }
}
