using System.Net;
using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Server;

namespace Clovers.Monitor.Simulation.Tests.Agent;

/// <summary>The runtime on a durable outbox, through a real in-process broker.</summary>
public sealed class DurableOutboxRuntimeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<long> RunUntilAsync(TestBroker broker, AgentOptions options, TimeProvider time, Func<bool> done)
    {
        using var outbox = SqliteOutbox.Open(_folder.File("agent.db"), 10_000_000);
        await using var runtime = new AgentRuntime(options, new CountingDriver(), outbox, time, NullLogger<AgentRuntime>.Instance);
        using var stop = new CancellationTokenSource();
        var run = runtime.RunAsync(stop.Token);
        await Eventually.TrueAsync(done, "the agent published");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        return outbox.LastSequence;
    }

    [Fact]
    public async Task RunAsync_RestartedWithItsClockAnHourBack_KeepsNumberingUpwards()
    {
        await using var broker = await TestBroker.StartAsync();
        var options = RunningAgent.FastOptions("restart-1", broker.Port);
        var lastOfFirstRun = await RunUntilAsync(broker, options, TimeProvider.System, () => broker.Batches("restart-1").Count >= 3);
        var firstRunCount = broker.Batches("restart-1").Count;

        var behind = new OffsetTimeProvider(TimeProvider.System, TimeSpan.FromHours(-1));
        await RunUntilAsync(broker, options, behind, () => broker.Batches("restart-1").Count >= firstRunCount + 3);

        var secondRun = broker.Batches("restart-1").Skip(firstRunCount).ToList();
        Assert.All(secondRun, b => Assert.True(b.Seq > lastOfFirstRun, $"batch {b.Seq} is above {lastOfFirstRun}"));
    }

    [Fact]
    public async Task RunAsync_BatchesLeftByAStoppedAgent_AreReplayedInOrderMarkedHistorical()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.StopServerAsync();
        var options = RunningAgent.FastOptions("replay-1", broker.Port);
        using (var outbox = SqliteOutbox.Open(_folder.File("agent.db"), 10_000_000))
        {
            await using var runtime = new AgentRuntime(options, new CountingDriver(), outbox, TimeProvider.System, NullLogger<AgentRuntime>.Instance);
            using var stop = new CancellationTokenSource();
            var run = runtime.RunAsync(stop.Token);
            await Eventually.TrueAsync(() => outbox.Count >= 5, "batches pile up while the broker is down");
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(15));
        }

        await broker.StartServerAsync();
        await RunUntilAsync(broker, options, TimeProvider.System, () => broker.Batches("replay-1").Count >= 8);

        var batches = broker.Batches("replay-1");
        Assert.Equal(batches.Select(b => b.Seq).Order(), batches.Select(b => b.Seq));
        Assert.True(batches[0].Historical, "the first replayed batch is marked historical");
        Assert.Equal(1, batches[0].Readings.Single(r => r.Channel == CountingDriver.Channel).Value);
    }

    [Fact]
    public async Task RunAsync_BrokerWithoutSubscribers_KeepsTheBatches()
    {
        var port = TestBroker.FreeTcpPort();
        using var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .Build());
        await server.StartAsync();
        using var outbox = SqliteOutbox.Open(_folder.File("agent.db"), 10_000_000);
        await using var runtime = new AgentRuntime(RunningAgent.FastOptions("lonely-1", port), new CountingDriver(), outbox, TimeProvider.System, NullLogger<AgentRuntime>.Instance);
        using var stop = new CancellationTokenSource();
        var run = runtime.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => runtime.NoSubscriberRetries >= 2 && outbox.Count >= 5, "batches are kept while nobody listens");
        Assert.Equal(0, runtime.Published);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        await server.StopAsync();
    }
}
