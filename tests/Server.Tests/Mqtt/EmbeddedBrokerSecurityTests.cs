using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Server.Tests.Integration;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Server.Tests.Mqtt;

/// <summary>Authentication and ACL of the embedded broker, through real MQTTnet clients.</summary>
public sealed class EmbeddedBrokerSecurityTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deliveryTimeout = TimeSpan.FromSeconds(10);

    private SecuredBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await SecuredBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Connect_WithTheRightPassword_Succeeds() =>
        Assert.Equal(MqttClientConnectResultCode.Success, await _broker.ConnectResultAsync(SecuredBroker.AgentA, SecuredBroker.Password));

    [Fact]
    public async Task Connect_WithWrongPassword_IsRefused() =>
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await _broker.ConnectResultAsync(SecuredBroker.AgentA, "not-the-password"));

    [Fact]
    public async Task Connect_WithUnknownUser_IsRefused() =>
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await _broker.ConnectResultAsync("platform-9", SecuredBroker.Password));

    [Fact]
    public async Task Connect_AnonymousWhenNotAllowed_IsNotAuthorized() =>
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await _broker.ConnectResultAsync(null, null));

    [Fact]
    public async Task Connect_AnonymousWhenAllowed_Succeeds()
    {
        await using var open = await SecuredBroker.StartAsync(allowAnonymous: true);

        Assert.Equal(MqttClientConnectResultCode.Success, await open.ConnectResultAsync(null, null));
    }

    [Fact]
    public async Task Connect_WithTheServersInternalLogin_Succeeds()
    {
        var login = _broker.Logins.ForServer();

        Assert.Equal(MqttClientConnectResultCode.Success, await _broker.ConnectResultAsync(login.Username, login.Password));
    }

    [Fact]
    public async Task Connect_AsTheServerWithAGuessedPassword_IsRefused() =>
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await _broker.ConnectResultAsync(InProcessMqttLogins.ServerUsername, SecuredBroker.Password));

    [Fact]
    public async Task Publish_AgentAUnderAgentBsId_IsNotDelivered()
    {
        var server = await ConnectServerAsync();
        var received = new List<string>();
        var ownArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ApplicationMessageReceivedAsync += args =>
        {
            lock (received)
            {
                received.Add(args.ApplicationMessage.Topic);
            }

            if (args.ApplicationMessage.Topic.Contains(SecuredBroker.AgentA, StringComparison.Ordinal))
            {
                ownArrived.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await server.SubscribeAsync("clovers/v1/agents/+/readings", MqttQualityOfServiceLevel.AtLeastOnce);
        var agentA = await _broker.ConnectAsync(SecuredBroker.AgentA);

        var forged = await SecuredBroker.PublishAsync(agentA, "clovers/v1/agents/platform-2/readings");
        await SecuredBroker.PublishAsync(agentA, "clovers/v1/agents/platform-1/readings");
        await ownArrived.Task.WaitAsync(s_deliveryTimeout);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        lock (received)
        {
            Assert.Equal(["clovers/v1/agents/platform-1/readings"], received);
        }
    }

    [Theory]
    [InlineData("clovers/v1/agents/platform-1/status")]
    [InlineData("clovers/v1/agents/platform-1/readings")]
    [InlineData("clovers/v1/agents/platform-1/replies")]
    public async Task Publish_AgentUnderItsOwnId_IsAccepted(string topic)
    {
        var agent = await _broker.ConnectAsync(SecuredBroker.AgentA);

        Assert.True((await SecuredBroker.PublishAsync(agent, topic)).IsSuccess);
    }

    [Theory]
    [InlineData("clovers/v1/agents/platform-1/commands")]
    [InlineData("clovers/v1/agents/platform-2/commands")]
    [InlineData("clovers/v1/daq/platform-1/status")]
    public async Task Publish_AgentOutsideItsTopics_IsNotAuthorized(string topic)
    {
        var agent = await _broker.ConnectAsync(SecuredBroker.AgentA);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await SecuredBroker.PublishAsync(agent, topic)).ReasonCode);
    }

    [Fact]
    public async Task Publish_DaqUnderItsOwnId_IsAccepted()
    {
        var daq = await _broker.ConnectAsync(SecuredBroker.Daq);

        Assert.True((await SecuredBroker.PublishAsync(daq, "clovers/v1/daq/daq-1/histograms")).IsSuccess);
    }

    [Fact]
    public async Task Publish_DaqAsAnAgent_IsNotAuthorized()
    {
        var daq = await _broker.ConnectAsync(SecuredBroker.Daq);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await SecuredBroker.PublishAsync(daq, "clovers/v1/agents/daq-1/readings")).ReasonCode);
    }

    [Fact]
    public async Task Subscribe_AgentToAnotherAgentsCommands_IsNotAuthorized()
    {
        var agent = await _broker.ConnectAsync(SecuredBroker.AgentA);

        var result = await agent.SubscribeAsync("clovers/v1/agents/platform-2/commands", MqttQualityOfServiceLevel.AtLeastOnce);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(result.Items).ResultCode);
    }

    [Fact]
    public async Task Subscribe_AgentToEveryAgentsCommands_IsNotAuthorized()
    {
        var agent = await _broker.ConnectAsync(SecuredBroker.AgentA);

        var result = await agent.SubscribeAsync("clovers/v1/agents/+/commands", MqttQualityOfServiceLevel.AtLeastOnce);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(result.Items).ResultCode);
    }

    [Fact]
    public async Task Subscribe_AgentToItsOwnCommands_ReceivesTheServersCommand()
    {
        var agent = await _broker.ConnectAsync(SecuredBroker.AgentA);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.ApplicationMessageReceivedAsync += args =>
        {
            received.TrySetResult(args.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await agent.SubscribeAsync("clovers/v1/agents/platform-1/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        var server = await ConnectServerAsync();

        await SecuredBroker.PublishAsync(server, "clovers/v1/agents/platform-1/commands");

        Assert.Equal("clovers/v1/agents/platform-1/commands", await received.Task.WaitAsync(s_deliveryTimeout));
    }

    [Fact]
    public async Task Publish_ServerAsAnAgent_IsNotAuthorized()
    {
        var server = await ConnectServerAsync();

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await SecuredBroker.PublishAsync(server, "clovers/v1/agents/platform-1/readings")).ReasonCode);
    }

    [Fact]
    public async Task Publish_Reader_IsNotAuthorized()
    {
        var reader = await _broker.ConnectAsync(SecuredBroker.Reader);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await SecuredBroker.PublishAsync(reader, "clovers/v1/agents/watcher/readings")).ReasonCode);
    }

    [Fact]
    public async Task LastWill_UnderAnotherAgentsId_IsNotDelivered()
    {
        var server = await ConnectServerAsync();
        var received = new List<string>();
        var ownWill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ApplicationMessageReceivedAsync += args =>
        {
            lock (received)
            {
                received.Add(args.ApplicationMessage.Topic);
            }

            if (args.ApplicationMessage.Topic.Contains(SecuredBroker.AgentA, StringComparison.Ordinal))
            {
                ownWill.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await server.SubscribeAsync("clovers/v1/agents/+/status", MqttQualityOfServiceLevel.AtLeastOnce);
        var forger = await _broker.ConnectAsync(SecuredBroker.AgentA, will: "clovers/v1/agents/platform-2/status");
        var honest = await _broker.ConnectAsync(SecuredBroker.AgentA, will: "clovers/v1/agents/platform-1/status");

        // Dropping the connections without a DISCONNECT makes the broker publish both wills.
        _broker.Abandon(forger);
        _broker.Abandon(honest);
        await ownWill.Task.WaitAsync(s_deliveryTimeout);
        await Eventually.ReturnsAsync(() => Task.FromResult(_broker.Counters.PublishesRefused), refused => refused == 1, because: "the forged will is refused");

        lock (received)
        {
            Assert.Equal(["clovers/v1/agents/platform-1/status"], received);
        }
    }

    [Fact]
    public async Task Refusals_AreCountedByReasonAndUser()
    {
        await _broker.ConnectResultAsync(SecuredBroker.AgentA, "wrong");
        var agent = await _broker.ConnectAsync(SecuredBroker.AgentA);
        await SecuredBroker.PublishAsync(agent, "clovers/v1/agents/platform-2/readings");

        Assert.Equal(1, _broker.Counters.ConnectionsRefused);
        Assert.Equal(1, _broker.Counters.PublishesRefused);
        Assert.Equal(1, _broker.Counters.ByReason[MqttRefusalReasons.BadCredentials]);
        Assert.Equal(2, _broker.Counters.ByUser[SecuredBroker.AgentA]);
    }

    private async Task<IMqttClient> ConnectServerAsync()
    {
        var login = _broker.Logins.ForServer();
        return await _broker.ConnectAsync(login.Username, login.Password);
    }
}
