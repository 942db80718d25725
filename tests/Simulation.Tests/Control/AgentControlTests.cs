using System.Buffers;
using System.Text.Json;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Drivers;
using Clovers.Monitor.Simulation.Instruments;
using Clovers.Monitor.Simulation.Platform;
using Clovers.Monitor.Simulation.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Simulation.Tests.Control;

/// <summary>Control requests and replies as MQTT 5 request/response through a real broker, answered by a running agent.</summary>
public sealed class AgentControlTests : IAsyncLifetime
{
    private const string AgentId = "control-test";

    private readonly SupplyOnLoopback _supply = new();
    private readonly List<MqttApplicationMessage> _replies = [];
    private readonly Lock _gate = new();
    private TestBroker _broker = null!;
    private IMqttClient _server = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.StartAsync();
        _server = new MqttClientFactory().CreateMqttClient();
        _server.ApplicationMessageReceivedAsync += e =>
        {
            lock (_gate)
            {
                _replies.Add(e.ApplicationMessage);
            }

            return Task.CompletedTask;
        };
        await _server.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithClientId("test-server").Build());
        await _server.SubscribeAsync(Topics.AgentReplies(AgentId), MqttQualityOfServiceLevel.AtLeastOnce);
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _broker.DisposeAsync();
        await _supply.DisposeAsync();
    }

    [Fact]
    public async Task SetHvRequest_RunningAgent_RepliesWithTheCorrelationDataOnItsRepliesTopic()
    {
        await using var agent = StartAgent(withControl: true);

        var reply = await RequestAsync(SetHv("sd1b", 1540, "cmd-1"), correlation: [1, 2, 3]);

        Assert.Equal([1, 2, 3], reply.Correlation);
        Assert.Equal(ControlOutcome.Accepted, reply.Reply.Outcome);
        Assert.Equal("cmd-1", reply.Reply.CommandId);
        Assert.Equal(1540, _supply.Channels.Read(1).Setpoint);
    }

    [Fact]
    public async Task SetHvRequest_Accepted_AgentPublishesTheNewSetpointAtOnce()
    {
        await using var agent = StartAgent(withControl: true);

        await RequestAsync(SetHv("sd3a", 1525, "cmd-2"), correlation: [7]);

        await Eventually.TrueAsync(
            () => _broker.Batches(AgentId).SelectMany(b => b.Readings).Any(r => r.Channel == SimulatedChannels.PmtHvSet("sd3a") && r.Value == 1525),
            "the new setpoint is published");
    }

    [Fact]
    public async Task SetHvRequest_SameCommandIdTwice_SupplySeesOneVoltCommand()
    {
        await using var agent = StartAgent(withControl: true);

        var first = await RequestAsync(SetHv("sd2a", 1510, "cmd-3"), correlation: [1]);
        var second = await RequestAsync(SetHv("sd2a", 1510, "cmd-3"), correlation: [2]);

        Assert.Equal(ControlOutcome.Accepted, first.Reply.Outcome);
        Assert.True(second.Reply.Repeated);
        Assert.Single(_supply.Simulator.ReceivedCommands, line => line.StartsWith("VOLT ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetHvRequest_AgentWithoutHvControl_RefusesWithAReason()
    {
        await using var agent = StartAgent(withControl: false);

        var reply = await RequestAsync(SetHv("sd1a", 1510, "cmd-4"), correlation: [9]);

        Assert.Equal(ControlOutcome.Refused, reply.Reply.Outcome);
        Assert.False(string.IsNullOrEmpty(reply.Reply.Reason));
    }

    [Fact]
    public async Task SetHvRequest_Accepted_AgentAnnouncesTheReadbackAndCurrentBandsAroundTheNewSetpoint()
    {
        // The platform's own supply behind SCPI, as in the demo: the setpoint the agent commands is the one its PMTs see.
        var platform = new SimulatedPlatform(new SimulatedPlatformOptions { AgentId = AgentId }, TimeProvider.System);
        await using var simulator = new HvSupplySimulator(platform.HvSupply, loadMegaohms: SimulatedChannels.DividerMegaohms);
        simulator.Start();
        var connection = new ScpiConnectionOptions { Host = "127.0.0.1", Port = simulator.EndPoint.Port, TimeoutSeconds = 2 };
        await using var driver = new ScpiHvSupply(connection);
        await using var agent = StartAgent(platform, new HvCommandExecutor(new HvControlOptions { Enabled = true, Supply = connection }, driver, TimeProvider.System, NullLogger.Instance));

        var reply = await RequestAsync(SetHv("sd2b", 1550, "cmd-5"), correlation: [5]);

        Assert.Equal(ControlOutcome.Accepted, reply.Reply.Outcome);
        await Eventually.TrueAsync(
            () => _broker.Statuses(AgentId).Any(s => s.State == AgentLifecycle.Online
                && s.Channels.Any(c => c.Id == SimulatedChannels.PmtHvRead("sd2b") && c.Nominal == new Band(1548, 1552))
                && s.Channels.Any(c => c.Id == SimulatedChannels.PmtCurrent("sd2b") && c.Nominal.Low > 1550 / SimulatedChannels.DividerMegaohms * 0.97)
                && s.Channels.Any(c => c.Id == SimulatedChannels.PmtHvRead("sd2a") && c.Nominal == new Band(1498, 1502))),
            "a birth with sd2b's bands around 1550 V and sd2a's still around 1500 V");
    }

    private static ControlRequest SetHv(string pmt, double volts, string commandId) =>
        new(ProtocolRules.SchemaVersion, ControlCommands.SetHv, DateTimeOffset.UtcNow, commandId, pmt, volts, 10);

    private RunningAgentWithControl StartAgent(bool withControl)
    {
        var platform = new SimulatedPlatform(new SimulatedPlatformOptions { AgentId = AgentId }, TimeProvider.System);
        var executor = withControl
            ? new HvCommandExecutor(new HvControlOptions { Enabled = true, Supply = _supply.Connection }, _supply.Driver, TimeProvider.System, NullLogger.Instance)
            : null;
        return StartAgent(platform, executor);
    }

    private RunningAgentWithControl StartAgent(SimulatedPlatform platform, HvCommandExecutor? executor)
    {
        var options = RunningAgent.FastOptions(AgentId, _broker.Port);
        return new RunningAgentWithControl(new AgentRuntime(options, platform, new MemoryOutbox(options.OutboxCapacity), TimeProvider.System, NullLogger<AgentRuntime>.Instance, executor), executor);
    }

    private async Task<(ControlReply Reply, byte[] Correlation)> RequestAsync(ControlRequest request, byte[] correlation)
    {
        // The agent subscribes to its commands once connected; until then a request would reach nobody.
        await Eventually.TrueAsync(() => _broker.Statuses(AgentId).Any(s => s.State == AgentLifecycle.Online), "the agent is online");
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.AgentCommands(AgentId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest))
            .WithResponseTopic(Topics.AgentReplies(AgentId))
            .WithCorrelationData(correlation)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _server.PublishAsync(message);

        MqttApplicationMessage? answer = null;
        await Eventually.TrueAsync(
            () =>
            {
                lock (_gate)
                {
                    answer = _replies.LastOrDefault(m => m.CorrelationData is { } c && c.SequenceEqual(correlation));
                }

                return answer is not null;
            },
            "the agent replied");
        var reply = JsonSerializer.Deserialize(answer!.Payload.ToArray(), ControlJsonContext.Default.ControlReply)!;
        return (reply, answer.CorrelationData);
    }

    private sealed class RunningAgentWithControl : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly AgentRuntime _runtime;
        private readonly HvCommandExecutor? _executor;
        private readonly Task _run;

        public RunningAgentWithControl(AgentRuntime runtime, HvCommandExecutor? executor)
        {
            _runtime = runtime;
            _executor = executor;
            _run = runtime.RunAsync(_stop.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(15));
            await _runtime.DisposeAsync();
            _executor?.Dispose();
            _stop.Dispose();
        }
    }
}
