using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Drivers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Simulation.Tests.Support;

/// <summary>An <see cref="AgentRuntime"/> running against a test broker; disposing stops it and awaits the stop.</summary>
public sealed class RunningAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private RunningAgent(AgentRuntime runtime, MemoryOutbox outbox)
    {
        Runtime = runtime;
        Outbox = outbox;
        _run = runtime.RunAsync(_stop.Token);
    }

    public AgentRuntime Runtime { get; }

    public MemoryOutbox Outbox { get; }

    public static AgentOptions FastOptions(string agentId, int port) => new()
    {
        AgentId = agentId,
        BrokerPort = port,
        SampleIntervalSeconds = 0.05,
        HeartbeatSeconds = 1,
        ReconnectMinSeconds = 0.05,
        ReconnectMaxSeconds = 0.2,
        OutboxCapacity = 10_000,
        Version = "test",
    };

    public static RunningAgent Start(AgentOptions options, IPlatformDriver driver)
    {
        var outbox = new MemoryOutbox(options.OutboxCapacity);
        return new RunningAgent(new AgentRuntime(options, driver, outbox, TimeProvider.System, NullLogger<AgentRuntime>.Instance), outbox);
    }

    /// <summary>Cancels the run and waits (bounded) until the runtime said goodbye.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        await Runtime.DisposeAsync();
        _stop.Dispose();
    }
}
