using System.Globalization;
using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Load;

/// <summary>One simulated agent with its own channels, publishing batches as fast as it is allowed.</summary>
public sealed class LoadPublisher : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly string[] _channels;
    private long _seq = 1;
    private long _tick;

    private LoadPublisher(string agentId, int channels)
    {
        AgentId = agentId;
        _channels = [.. Enumerable.Range(0, channels).Select(i => string.Create(CultureInfo.InvariantCulture, $"load.{agentId}.c{i}"))];
    }

    public string AgentId { get; }

    public IReadOnlyList<string> Channels => _channels;

    public static async Task<LoadPublisher> ConnectAsync(int port, string agentId, int channels)
    {
        var publisher = new LoadPublisher(agentId, channels);
        await publisher._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("load-" + agentId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build());
        var birth = new AgentStatusMessage(ProtocolRules.SchemaVersion, agentId, AgentLifecycle.Online, DateTimeOffset.UtcNow)
        {
            Version = "load",
            HeartbeatSeconds = 5,
            Channels = [.. publisher._channels.Select(id => new ChannelDescriptor(id, "1", "load channel", ChannelGroup.Daq, new Band(0, 1e9), 1))],
        };
        await publisher.PublishAsync(Topics.AgentStatus(agentId), JsonSerializer.SerializeToUtf8Bytes(birth, ProtocolJsonContext.Default.AgentStatusMessage), retain: true);
        return publisher;
    }

    /// <summary>
    /// A batch of readings spread over the channels. Timestamps advance one millisecond per round
    /// of channels from <paramref name="origin"/>, so no two readings share channel and time.
    /// </summary>
    public byte[] NextBatch(int size, DateTimeOffset origin)
    {
        var readings = new Reading[size];
        for (var i = 0; i < size; i++)
        {
            var tick = _tick++;
            var channel = _channels[tick % _channels.Length];
            readings[i] = new Reading(channel, origin.AddMilliseconds(tick / _channels.Length), tick % 1000);
        }

        var batch = new ReadingBatch(ProtocolRules.SchemaVersion, AgentId, _seq++, DateTimeOffset.UtcNow, readings);
        return JsonSerializer.SerializeToUtf8Bytes(batch, ProtocolJsonContext.Default.ReadingBatch);
    }

    /// <summary>A batch of one reading per channel stamped now, for latency probes.</summary>
    public byte[] NowBatch(double value)
    {
        var now = DateTimeOffset.UtcNow;
        var readings = _channels.Select(c => new Reading(c, now, value)).ToArray();
        return JsonSerializer.SerializeToUtf8Bytes(new ReadingBatch(ProtocolRules.SchemaVersion, AgentId, _seq++, now, readings), ProtocolJsonContext.Default.ReadingBatch);
    }

    public Task PublishReadingsAsync(byte[] payload) => PublishAsync(Topics.AgentReadings(AgentId), payload, retain: false);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private async Task PublishAsync(string topic, byte[] payload, bool retain)
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
            throw new InvalidOperationException($"publish refused: {result.ReasonCode}");
        }
    }
}
