using System.Buffers;
using System.Text;
using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Server.Tests.Integration;

/// <summary>A plain MQTT 5 client that publishes protocol messages (or garbage) like an agent would.</summary>
public sealed class TestPublisher : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private long _seq = 1;

    public static async Task<TestPublisher> ConnectAsync(int port, string clientId)
    {
        var publisher = new TestPublisher();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId).Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await publisher._client.ConnectAsync(options, timeout.Token);
        return publisher;
    }

    public Task BirthAsync(string agentId, params ChannelDescriptor[] channels) =>
        PublishAsync(
            Topics.AgentStatus(agentId),
            JsonSerializer.SerializeToUtf8Bytes(
                new AgentStatusMessage(ProtocolRules.SchemaVersion, agentId, AgentLifecycle.Online, DateTimeOffset.UtcNow) { Channels = channels, Version = "test" },
                ProtocolJsonContext.Default.AgentStatusMessage),
            retain: true);

    public Task OfflineAsync(string agentId) =>
        PublishAsync(
            Topics.AgentStatus(agentId),
            JsonSerializer.SerializeToUtf8Bytes(
                new AgentStatusMessage(ProtocolRules.SchemaVersion, agentId, AgentLifecycle.Offline, DateTimeOffset.UtcNow),
                ProtocolJsonContext.Default.AgentStatusMessage),
            retain: true);

    public Task ReadingsAsync(string agentId, params Reading[] readings) =>
        PublishAsync(
            Topics.AgentReadings(agentId),
            JsonSerializer.SerializeToUtf8Bytes(
                new ReadingBatch(ProtocolRules.SchemaVersion, agentId, _seq++, DateTimeOffset.UtcNow, readings),
                ProtocolJsonContext.Default.ReadingBatch));

    /// <summary>Subscribes to a topic; the task completes with the first payload that arrives on it.</summary>
    public async Task<TaskCompletionSource<byte[]>> ListenAsync(string topic)
    {
        var first = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == topic)
            {
                first.TrySetResult(e.ApplicationMessage.Payload.ToArray());
            }

            return Task.CompletedTask;
        };
        await _client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        return first;
    }

    public Task RawAsync(string topic, string payload) => PublishAsync(topic, Encoding.UTF8.GetBytes(payload));

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private async Task PublishAsync(string topic, byte[] payload, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"publish to {topic} failed: {result.ReasonCode}");
        }
    }
}
