using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Deployment.Tests;

/// <summary>The deployed mosquitto configuration and ACL, exercised through a real broker.</summary>
public sealed class DeployedBrokerTests(DeployedBrokerFixture broker) : IClassFixture<DeployedBrokerFixture>
{
    private static readonly TimeSpan s_deliveryTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Connect_WithoutCredentials_IsNotAuthorized()
    {
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await broker.ConnectResultAsync(null, null));
    }

    [Fact]
    public async Task Connect_WithWrongPassword_IsRefused()
    {
        var result = await broker.ConnectResultAsync("platform-1", "not-the-password");

        Assert.Contains(result, new[] { MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized });
    }

    [Fact]
    public async Task Connect_WithTheAgentsPassword_Succeeds()
    {
        Assert.Equal(MqttClientConnectResultCode.Success, await broker.ConnectResultAsync("platform-1", broker.PasswordOf("platform-1")));
    }

    [Theory]
    [InlineData("clovers/v1/agents/platform-1/status")]
    [InlineData("clovers/v1/agents/platform-1/readings")]
    [InlineData("clovers/v1/agents/platform-1/replies")]
    public async Task AgentPublish_UnderItsOwnId_IsAccepted(string topic)
    {
        using var agent = await broker.ConnectAsync("platform-1");

        var result = await PublishAsync(agent, topic);

        Assert.True(result.IsSuccess, $"{result.ReasonCode}\n{broker.Output}");
    }

    [Theory]
    [InlineData("clovers/v1/agents/platform-2/readings")]
    [InlineData("clovers/v1/agents/platform-2/status")]
    [InlineData("clovers/v1/agents/platform-1/commands")]
    [InlineData("clovers/v1/agents/platform-2/commands")]
    [InlineData("clovers/v1/daq/platform-2/status")]
    [InlineData("clovers/v2/agents/platform-1/readings")]
    public async Task AgentPublish_OutsideItsOwnTopics_IsNotAuthorized(string topic)
    {
        using var agent = await broker.ConnectAsync("platform-1");

        var result = await PublishAsync(agent, topic);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
    }

    [Fact]
    public async Task DaqPublish_UnderItsOwnId_IsAccepted()
    {
        using var daq = await broker.ConnectAsync("daq-1");

        var result = await PublishAsync(daq, "clovers/v1/daq/daq-1/histograms");

        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
    }

    [Fact]
    public async Task ServerPublish_ToAnAgentsCommands_IsAccepted()
    {
        using var server = await broker.ConnectAsync(DeployedBrokerFixture.ServerUser);

        var result = await PublishAsync(server, "clovers/v1/agents/platform-1/commands");

        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
    }

    [Theory]
    [InlineData("clovers/v1/agents/platform-1/readings")]
    [InlineData("clovers/v1/agents/platform-1/status")]
    public async Task ServerPublish_AsAnAgent_IsNotAuthorized(string topic)
    {
        using var server = await broker.ConnectAsync(DeployedBrokerFixture.ServerUser);

        var result = await PublishAsync(server, topic);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
    }

    [Fact]
    public async Task ServerSubscription_ToAllAgentReadings_ReceivesAnAgentsReading()
    {
        using var server = await broker.ConnectAsync(DeployedBrokerFixture.ServerUser);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ApplicationMessageReceivedAsync += message =>
        {
            received.TrySetResult(message.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await server.SubscribeAsync("clovers/v1/agents/+/readings", MqttQualityOfServiceLevel.AtLeastOnce);
        using var agent = await broker.ConnectAsync("platform-2");

        await PublishAsync(agent, "clovers/v1/agents/platform-2/readings");

        Assert.Equal("clovers/v1/agents/platform-2/readings", await received.Task.WaitAsync(s_deliveryTimeout));
    }

    [Fact]
    public async Task AgentSubscription_ToItsOwnCommands_ReceivesTheServersCommand()
    {
        using var agent = await broker.ConnectAsync("platform-1");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.ApplicationMessageReceivedAsync += message =>
        {
            received.TrySetResult(message.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await agent.SubscribeAsync("clovers/v1/agents/platform-1/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        using var server = await broker.ConnectAsync(DeployedBrokerFixture.ServerUser);

        await PublishAsync(server, "clovers/v1/agents/platform-1/commands");

        Assert.Equal("clovers/v1/agents/platform-1/commands", await received.Task.WaitAsync(s_deliveryTimeout));
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes("{\"schema\":1}"))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
}
