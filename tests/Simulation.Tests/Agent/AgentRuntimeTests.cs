using System.Buffers;
using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Platform;
using Clovers.Monitor.Simulation.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace Clovers.Monitor.Simulation.Tests.Agent;

/// <summary>The runtime end to end through a real in-process MQTT broker.</summary>
public sealed class AgentRuntimeTests
{
    private static string[] OutboxChannelIds(string agentId) =>
        [AgentRuntime.OutboxDepthChannel(agentId), AgentRuntime.OutboxDroppedChannel(agentId)];

    private static List<long> CounterValues(IEnumerable<ReadingBatch> batches) =>
        [.. batches.SelectMany(b => b.Readings).Where(r => r.Channel == CountingDriver.Channel).Select(r => (long)r.Value).Distinct().Order()];

    [Fact]
    public async Task RunAsync_Connected_LateSubscriberGetsRetainedBirthWithChannels()
    {
        await using var broker = await TestBroker.StartAsync();
        var platform = new SimulatedPlatform(new SimulatedPlatformOptions { AgentId = "birth-1" }, TimeProvider.System);
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("birth-1", broker.Port), platform);
        await Eventually.TrueAsync(() => broker.Statuses("birth-1").Count > 0, "the birth was published");

        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build());
        await subscriber.SubscribeAsync(Topics.AgentStatus("birth-1"));
        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var birth = JsonSerializer.Deserialize(message.Payload.ToArray(), ProtocolJsonContext.Default.AgentStatusMessage)!;
        Assert.True(message.Retain);
        Assert.Equal(AgentLifecycle.Online, birth.State);
        Assert.Equal(ProtocolRules.SchemaVersion, birth.Schema);
        Assert.Equal("birth-1", birth.AgentId);
        Assert.Equal([.. platform.Channels.Select(c => c.Id), .. OutboxChannelIds("birth-1")], birth.Channels.Select(c => c.Id));
        Assert.True(birth.Simulated);
        Assert.Equal(1, birth.HeartbeatSeconds);
        Assert.Equal("test", birth.Version);
    }

    [Fact]
    public async Task RunAsync_RebirthCommand_PublishesTheBirthAgain()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("rebirth-1", broker.Port), new CountingDriver());
        await Eventually.TrueAsync(() => broker.Statuses("rebirth-1").Count == 1, "the first birth was published");

        using var server = new MqttClientFactory().CreateMqttClient();
        await server.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build());
        var command = new AgentCommand(ProtocolRules.SchemaVersion, AgentCommands.Rebirth, DateTimeOffset.UtcNow);
        await server.PublishBinaryAsync(Topics.AgentCommands("rebirth-1"), JsonSerializer.SerializeToUtf8Bytes(command, ProtocolJsonContext.Default.AgentCommand));

        await Eventually.TrueAsync(() => broker.Statuses("rebirth-1").Count == 2, "a second birth followed the rebirth command");
        Assert.Equal(AgentLifecycle.Online, broker.Statuses("rebirth-1")[1].State);
    }

    [Fact]
    public async Task RunAsync_MalformedCommand_IsIgnoredAndPublishingGoesOn()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("garbled-1", broker.Port), new CountingDriver());
        await Eventually.TrueAsync(() => broker.Statuses("garbled-1").Count == 1, "the birth was published");

        using var server = new MqttClientFactory().CreateMqttClient();
        await server.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build());
        await server.PublishStringAsync(Topics.AgentCommands("garbled-1"), "{ not json");
        var before = broker.Batches("garbled-1").Count;

        await Eventually.TrueAsync(() => broker.Batches("garbled-1").Count > before + 2, "batches keep coming");
        Assert.Equal(1, agent.Runtime.Errors);
    }

    [Fact]
    public async Task RunAsync_Publishing_BatchesArriveInSeqOrderWithoutGaps()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("order-1", broker.Port), new CountingDriver());

        await Eventually.TrueAsync(() => broker.Batches("order-1").Count >= 10, "ten batches arrived");

        var batches = broker.Batches("order-1");
        Assert.All(batches, b => Assert.Equal(ProtocolRules.SchemaVersion, b.Schema));
        Assert.All(batches, b => Assert.Equal("order-1", b.AgentId));
        Assert.All(batches.Zip(batches.Skip(1)), pair => Assert.Equal(pair.First.Seq + 1, pair.Second.Seq));
        Assert.Equal(batches.Select(b => (long)b.Readings.Single(r => r.Channel == CountingDriver.Channel).Value), CounterValues(batches));
        Assert.True(batches[0].Seq > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), "seq starts at Unix ms");
    }

    [Fact]
    public async Task RunAsync_ChannelsConfigured_PublishesOnlyThose()
    {
        await using var broker = await TestBroker.StartAsync();
        var options = RunningAgent.FastOptions("subset-1", broker.Port);
        options.Channels = [SimulatedChannels.Ln2Level, SimulatedChannels.BeamPower];
        var platform = new SimulatedPlatform(new SimulatedPlatformOptions { AgentId = "subset-1" }, TimeProvider.System);
        await using var agent = RunningAgent.Start(options, platform);

        await Eventually.TrueAsync(() => broker.Batches("subset-1").Count >= 1, "a batch arrived");

        string[] expected = [.. options.Channels, .. OutboxChannelIds("subset-1")];
        Assert.Equal(expected, broker.Statuses("subset-1")[0].Channels.Select(c => c.Id));
        Assert.All(broker.Batches("subset-1").SelectMany(b => b.Readings), r => Assert.Contains(r.Channel, expected));
    }

    [Fact]
    public async Task RunAsync_Cancelled_LeavesRetainedOfflineStatusAndDisconnects()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("bye-1", broker.Port), new CountingDriver());
        await Eventually.TrueAsync(() => broker.Batches("bye-1").Count >= 2, "batches flow");

        await agent.StopAsync();

        var status = await broker.RetainedStatusAsync("bye-1");
        Assert.Equal(AgentLifecycle.Offline, status?.State);
        Assert.False(agent.Runtime.Connected);
        Assert.Equal(AgentLifecycle.Offline, broker.Statuses("bye-1")[^1].State);
    }

    [Fact]
    public async Task RunAsync_BrokerRestarts_ReconnectsAndDeliversEveryBatchSampledDuringTheOutage()
    {
        await using var broker = await TestBroker.StartAsync();
        var driver = new CountingDriver();
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("outage-1", broker.Port), driver);
        await Eventually.TrueAsync(() => broker.Batches("outage-1").Count >= 3, "batches flow before the outage");

        await broker.StopServerAsync();
        await Eventually.TrueAsync(() => !agent.Runtime.Connected && agent.Runtime.OutboxDepth >= 5, "batches pile up while the broker is down");
        var lastSampledDuringOutage = driver.Reads;
        await broker.StartServerAsync();
        await Eventually.TrueAsync(
            () => CounterValues(broker.Batches("outage-1")).LastOrDefault() > lastSampledDuringOutage + 3,
            "batches sampled after the restart arrived");

        var values = CounterValues(broker.Batches("outage-1"));
        Assert.Equal(Enumerable.Range(1, values.Count).Select(v => (long)v), values);
        Assert.Contains(broker.Batches("outage-1"), b => b.Historical);
        Assert.Equal(2, broker.Statuses("outage-1").Count(s => s.State == AgentLifecycle.Online));
        Assert.Equal(0, agent.Outbox.Dropped);
    }

    [Fact]
    public async Task RunAsync_BrokerDownAtStart_KeepsSamplingAndPublishesOnceItIsUp()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.StopServerAsync();
        var driver = new CountingDriver();
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("late-1", broker.Port), driver);
        await Eventually.TrueAsync(() => agent.Runtime.OutboxDepth >= 3 && agent.Runtime.ConnectFailures >= 2, "the agent samples and retries");

        await broker.StartServerAsync();

        await Eventually.TrueAsync(() => CounterValues(broker.Batches("late-1")).FirstOrDefault() == 1, "the first sample arrived");
        Assert.Equal(AgentLifecycle.Online, broker.Statuses("late-1")[0].State);
    }

    [Fact]
    public async Task Silenced_WhileConnected_PublishesNothingThenReplaysTheBacklog()
    {
        await using var broker = await TestBroker.StartAsync();
        var driver = new CountingDriver();
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("quiet-1", broker.Port), driver);
        await Eventually.TrueAsync(() => broker.Batches("quiet-1").Count >= 2, "batches flow");

        agent.Runtime.Silenced = true;
        await Eventually.TrueAsync(() => agent.Runtime.OutboxDepth >= 5, "samples pile up while silent");
        var publishedWhileSilent = broker.Batches("quiet-1").Count;
        await Eventually.TrueAsync(() => agent.Runtime.OutboxDepth >= 10, "more samples pile up");
        Assert.Equal(publishedWhileSilent, broker.Batches("quiet-1").Count);
        Assert.True(agent.Runtime.Connected, "silence is not a disconnect");

        agent.Runtime.Silenced = false;
        await Eventually.TrueAsync(() => agent.Runtime.OutboxDepth <= 1, "the backlog drained");
        var values = CounterValues(broker.Batches("quiet-1"));
        Assert.Equal(Enumerable.Range(1, values.Count).Select(v => (long)v), values);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingProblems()
    {
        var options = new AgentOptions { AgentId = "BAD ID", BrokerPort = 0, Channels = ["test.unknown"] };

        var ex = Assert.Throws<OptionsValidationException>(() =>
            new AgentRuntime(options, new CountingDriver(), new MemoryOutbox(1), TimeProvider.System, NullLogger<AgentRuntime>.Instance));

        Assert.Equal(3, ex.Failures.Count());
    }

    [Fact]
    public async Task RunAsync_CalledTwice_Throws()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var agent = RunningAgent.Start(RunningAgent.FastOptions("twice-1", broker.Port), new CountingDriver());

        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.Runtime.RunAsync(CancellationToken.None));
    }
}
