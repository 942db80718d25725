using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Control;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Server.Tests.Control;

/// <summary>
/// The Server without the demo and with a reply timeout far longer than any test waits, so a
/// command whose agent holds its reply stays pending for as long as the test needs.
/// </summary>
public sealed class PatientControlServerFactory : MonitorServerFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Control:Hv:ReplyTimeoutSeconds", "300");
    }
}

/// <summary>Agents of the test's own making on the Server's embedded broker, each owning the PMTs it announces.</summary>
public sealed class ControlConcurrencyTests(PatientControlServerFactory factory) : IClassFixture<PatientControlServerFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PostHv_OneAgentHoldsItsReply_CommandToAnotherAgentCompletesMeanwhile()
    {
        await using var silent = await FakeHvAgent.StartAsync(factory, "hv-silent", "sd1a", answerAtOnce: false);
        await using var prompt = await FakeHvAgent.StartAsync(factory, "hv-prompt", "sd2a", answerAtOnce: true);
        using var http = await factory.CreateClientAsync(AuthPolicies.Expert);

        var held = PostAsync(http, "hv-silent", "sd1a", 1510);
        await silent.NextRequestAsync().WaitAsync(Patience);
        var other = await PostAsync(http, "hv-prompt", "sd2a", 1510).WaitAsync(Patience);
        var stillHeld = !held.IsCompleted;
        await silent.AnswerHeldAsync();
        var heldOutcome = (await held.WaitAsync(Patience)).Outcome;

        Assert.Equal(ControlOutcome.Accepted, other.Outcome);
        Assert.True(stillHeld, "the silent agent's command completed before the other agent's");
        Assert.Equal(ControlOutcome.Accepted, heldOutcome);
    }

    [Fact]
    public async Task PostHv_CommandsDone_NoAgentGateKept()
    {
        await using var agent = await FakeHvAgent.StartAsync(factory, "hv-idle", "sd4a", answerAtOnce: true);
        using var http = await factory.CreateClientAsync(AuthPolicies.Expert);

        await PostAsync(http, "hv-idle", "sd4a", 1510).WaitAsync(Patience);

        Assert.Equal(0, factory.Services.GetRequiredService<ControlService>().ActiveAgentGates);
    }

    private static async Task<ControlCommandView> PostAsync(HttpClient http, string agentId, string pmt, double volts)
    {
        using var response = await http.PostAsJsonAsync(ControlRoutes.Hv, new HvCommandRequest(agentId, pmt, volts, Guid.NewGuid().ToString("N")), ControlJsonContext.Default.HvCommandRequest);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(ControlJsonContext.Default.ControlCommandView))!;
    }

    /// <summary>
    /// An agent that announces HV setpoints of 1500 V for its PMTs and answers HV requests,
    /// either at once or when the test says so (one held request at a time).
    /// </summary>
    private sealed class FakeHvAgent : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private readonly string _agentId;
        private readonly bool _answerAtOnce;
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly Queue<(ControlRequest Request, MqttApplicationMessage Message)> _requests = new();
        private (ControlRequest Request, MqttApplicationMessage Message)? _held;

        private FakeHvAgent(string agentId, bool answerAtOnce)
        {
            _agentId = agentId;
            _answerAtOnce = answerAtOnce;
            _client.ApplicationMessageReceivedAsync += OnRequestAsync;
        }

        public static async Task<FakeHvAgent> StartAsync(MonitorServerFactory factory, string agentId, string pmt, bool answerAtOnce)
        {
            string[] pmts = [pmt];
            using var http = factory.CreateClient();
            var agent = new FakeHvAgent(agentId, answerAtOnce);
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", factory.MqttPort).WithClientId(agentId + "-control")
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build();
            using var timeout = new CancellationTokenSource(Patience);
            await agent._client.ConnectAsync(options, timeout.Token);
            await agent._client.SubscribeAsync(Topics.AgentCommands(agentId), MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);

            await using var publisher = await TestPublisher.ConnectAsync(factory.MqttPort, agentId);
            await publisher.BirthAsync(agentId, [.. pmts.Select(p => new ChannelDescriptor(SimulatedChannels.PmtHvSet(p), "V", "HV setpoint", ChannelGroup.Pmt, new Band(1498, 1502), 1))]);
            await publisher.ReadingsAsync(agentId, [.. pmts.Select(p => new Reading(SimulatedChannels.PmtHvSet(p), DateTimeOffset.UtcNow, 1500))]);
            await Eventually.ReturnsAsync(
                () => http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState)!,
                list => pmts.All(p => list!.Any(c => c.Id == SimulatedChannels.PmtHvSet(p) && c.AgentId == agentId && c.Value is not null)),
                Patience);
            return agent;
        }

        /// <summary>The next request that arrives (or has arrived and was not yet asked for).</summary>
        public async Task<ControlRequest> NextRequestAsync()
        {
            await _arrived.WaitAsync();
            lock (_requests)
            {
                return _requests.Dequeue().Request;
            }
        }

        /// <summary>Answers the request being held, accepted.</summary>
        public Task AnswerHeldAsync()
        {
            (ControlRequest, MqttApplicationMessage) held;
            lock (_requests)
            {
                held = _held ?? throw new InvalidOperationException("no request is held");
                _held = null;
            }

            return AnswerAsync(held.Item1, held.Item2);
        }

        public async ValueTask DisposeAsync()
        {
            _client.ApplicationMessageReceivedAsync -= OnRequestAsync;
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }

            _client.Dispose();
            _arrived.Dispose();
        }

        private async Task OnRequestAsync(MqttApplicationMessageReceivedEventArgs args)
        {
            var reader = new Utf8JsonReader(args.ApplicationMessage.Payload);
            var request = JsonSerializer.Deserialize(ref reader, ControlJsonContext.Default.ControlRequest)!;
            lock (_requests)
            {
                _requests.Enqueue((request, args.ApplicationMessage));
                if (!_answerAtOnce)
                {
                    _held = (request, args.ApplicationMessage);
                }
            }

            _arrived.Release();
            if (_answerAtOnce)
            {
                await AnswerAsync(request, args.ApplicationMessage);
            }
        }

        private async Task AnswerAsync(ControlRequest request, MqttApplicationMessage message)
        {
            var reply = new ControlReply(ProtocolRules.SchemaVersion, request.CommandId, ControlOutcome.Accepted, null, 1500, request.Volts, DateTimeOffset.UtcNow);
            var answer = new MqttApplicationMessageBuilder()
                .WithTopic(message.ResponseTopic)
                .WithCorrelationData(message.CorrelationData)
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(reply, ControlJsonContext.Default.ControlReply))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                .Build();
            await _client.PublishAsync(answer);
        }
    }
}
