using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Shared.Tests.Protocol;

public sealed class ProtocolJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 20, 15, 1, TimeSpan.Zero);

    [Fact]
    public void ReadingBatch_RoundTrip_KeepsEveryField()
    {
        var batch = new ReadingBatch(1, "platform-1", 42, Now, [new Reading("cryo.ln2.level", Now, 81.5, Quality.Uncertain)]) { Historical = true };

        var json = JsonSerializer.Serialize(batch, ProtocolJsonContext.Default.ReadingBatch);
        var back = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.ReadingBatch)!;

        Assert.Equal(batch.Seq, back.Seq);
        Assert.True(back.Historical);
        Assert.Equal(batch.Readings[0], back.Readings[0]);
    }

    [Fact]
    public void ReadingBatch_Serialized_UsesCamelCaseNamesAndLowerCaseEnums()
    {
        var batch = new ReadingBatch(1, "platform-1", 1, Now, [new Reading("beam.power", Now, 140, Quality.Good)]);

        var json = JsonSerializer.Serialize(batch, ProtocolJsonContext.Default.ReadingBatch);

        Assert.Contains("\"agentId\":\"platform-1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"quality\":\"good\"", json, StringComparison.Ordinal);
        Assert.Contains("\"schema\":1", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_WithoutQuality_DefaultsToGood()
    {
        const string json = """{"schema":1,"agentId":"a","seq":1,"sentAt":"2026-11-26T20:15:01Z","readings":[{"channel":"beam.power","timestamp":"2026-11-26T20:15:01Z","value":3}]}""";

        var batch = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.ReadingBatch)!;

        Assert.Equal(Quality.Good, batch.Readings[0].Quality);
    }

    [Fact]
    public void Reading_WithoutValue_IsAnErrorNotZero()
    {
        const string json = """{"schema":1,"agentId":"a","seq":1,"sentAt":"2026-11-26T20:15:01Z","readings":[{"channel":"beam.power","timestamp":"2026-11-26T20:15:01Z"}]}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.ReadingBatch));
    }

    [Fact]
    public void Reading_WithNullChannel_IsAnError()
    {
        const string json = """{"schema":1,"agentId":"a","seq":1,"sentAt":"2026-11-26T20:15:01Z","readings":[{"channel":null,"timestamp":"2026-11-26T20:15:01Z","value":1}]}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.ReadingBatch));
    }

    [Fact]
    public void AgentStatus_RoundTrip_KeepsChannelsAndBands()
    {
        var descriptor = new ChannelDescriptor("cryo.temp.sd1", "K", "Crystal 1", ChannelGroup.Cryogenics, new Band(77.0, 77.8), 1)
        {
            Warn = new Band(null, 78.5),
            Alarm = new Band(null, 80),
        };
        var status = new AgentStatusMessage(1, "platform-1", AgentLifecycle.Online, Now) { Channels = [descriptor], Simulated = true, HeartbeatSeconds = 2 };

        var json = JsonSerializer.Serialize(status, ProtocolJsonContext.Default.AgentStatusMessage);
        var back = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.AgentStatusMessage)!;

        Assert.Contains("\"group\":\"cryogenics\"", json, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"online\"", json, StringComparison.Ordinal);
        Assert.Equal(descriptor, back.Channels[0]);
        Assert.True(back.Simulated);
        Assert.Equal(2, back.HeartbeatSeconds);
    }

    [Fact]
    public void AgentStatus_WithUnknownGroup_IsAnError()
    {
        const string json = """{"schema":1,"agentId":"a","state":"online","timestamp":"2026-11-26T20:15:01Z","channels":[{"id":"x.y","unit":"K","description":"d","group":"kitchen","nominal":{"low":1,"high":2},"periodSeconds":1}]}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.AgentStatusMessage));
    }
}
