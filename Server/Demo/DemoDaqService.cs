using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Simulation.Daq;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Demo;

/// <summary>
/// Runs the simulated DAQ inside the Server, beside the simulated platform: it sees the platform's
/// beam (a beam-trip fault stops its triggers), obeys the platform's faults (pmt-gain-drift) and
/// publishes through the same broker the ingest reads, exactly like a real DAQ.
/// </summary>
public sealed class DemoDaqService : BackgroundService
{
    private readonly DaqRuntime _runtime;

    public DemoDaqService(
        IOptions<DemoOptions> demo,
        IOptions<MqttOptions> mqtt,
        InProcessMqttLogins logins,
        SimulatedPlatform platform,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var daq = demo.Value.Daq;
        var login = logins.ForDaq(daq.DaqId);
        var options = new DaqSimulatorOptions
        {
            Enabled = true,
            DaqId = daq.DaqId,
            BrokerHost = mqtt.Value.Host,
            BrokerPort = mqtt.Value.Port,
            Username = login.Username,
            Password = login.Password,
            Seed = daq.Seed,
            Acceleration = daq.Acceleration,
            HistogramIntervalSeconds = daq.HistogramIntervalSeconds,
            StatusIntervalSeconds = daq.StatusIntervalSeconds,
            PmtDarkRateHertz = platform.Options.PmtDarkRateHertz,
            VetoRateHertz = platform.Options.VetoRateHertz,
            Version = typeof(DemoDaqService).Assembly.GetName().Version?.ToString() ?? "0.0.0",
        };
        Simulator = new DaqSimulator(options, platform, time, platform.Faults);
        _runtime = new DaqRuntime(Simulator, time, loggers.CreateLogger<DaqRuntime>());
    }

    public DaqSimulator Simulator { get; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _runtime.RunAsync(stoppingToken);

    public override void Dispose()
    {
        _runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }
}
