using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.EndToEnd.Tests.ScaleOut;

/// <summary>
/// Two Server processes sharing one mosquitto and one Redis: pushes cross instances through the
/// SignalR backplane, and the shared subscription splits readings between them.
/// </summary>
public sealed class ScaleOutTests(ScaleOutFixture fixture) : IClassFixture<ScaleOutFixture>
{
    // The silent-agent warning fires 30 s after A loads its rules; A's start adds to that.
    private static readonly TimeSpan AlarmTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan IngestTimeout = TimeSpan.FromSeconds(20);

    [RedisFact]
    public async Task AlarmRaisedOnInstanceA_ReachesBrowserConnectedToInstanceB()
    {
        var b = fixture.B!;
        var ruleOfA = $"agent.{ScaleOutFixture.SilentAgentOfA}.silent-warn";
        var received = new TaskCompletionSource<AlarmView>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var browser = new HubConnectionBuilder()
            .WithUrl(new Uri(b.BaseAddress, MonitorHubContract.Path))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
            .Build();
        browser.On<IReadOnlyList<AlarmView>>(nameof(IMonitorClient.AlarmsUpdated), alarms =>
        {
            if (alarms.FirstOrDefault(a => a.RuleId == ruleOfA) is { } alarm)
            {
                received.TrySetResult(alarm);
            }
        });
        await browser.StartAsync();
        await browser.InvokeAsync<LiveSnapshot>(MonitorHubContract.Subscribe, (string[]?)null);

        await using var a = await fixture.StartAAsync();
        var alarm = await received.Task.WaitAsync(AlarmTimeout);

        Assert.Equal(AlarmSeverity.Warning, alarm.Severity);
        var activeOnB = await b.Http.GetFromJsonAsync(AlarmRoutes.Active, ApiJsonContext.Default.IReadOnlyListAlarmView) ?? [];
        Assert.DoesNotContain(activeOnB, x => x.RuleId == ruleOfA);
    }

    [RedisFact]
    public async Task SharedSubscriptionGroup_ReadingsPublishedOnce_AreSplitBetweenInstances()
    {
        const string agentId = "e2e-share";
        const string channel = "e2e.share.value";
        const int batches = 40;
        const int readingsPerBatch = 5;
        var b = fixture.B!;
        await using var a = await fixture.StartAAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(MosquittoFixture.Host, fixture.Broker.Port)
            .WithClientId("e2e-share-publisher")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build());
        var birth = new AgentStatusMessage(ProtocolRules.SchemaVersion, agentId, AgentLifecycle.Online, DateTimeOffset.UtcNow)
        {
            Version = "e2e",
            HeartbeatSeconds = 5,
            Channels = [new ChannelDescriptor(channel, "1", "shared-subscription probe", ChannelGroup.Daq, new Band(0, 1e9), 1)],
        };
        await PublishAsync(client, Topics.AgentStatus(agentId), JsonSerializer.SerializeToUtf8Bytes(birth, ProtocolJsonContext.Default.AgentStatusMessage));
        foreach (var server in new[] { a, b })
        {
            await Eventually.MatchesAsync(server.GetChannelsAsync, c => c.Any(x => x.Id == channel), IngestTimeout, _ => $"{server.Settings.ExtraArguments[0]} never saw the birth of {agentId}");
        }

        var aBefore = (await a.GetIngestDiagnosticsAsync()).ReadingsAccepted;
        var bBefore = (await b.GetIngestDiagnosticsAsync()).ReadingsAccepted;
        var origin = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var seq = 1; seq <= batches; seq++)
        {
            var readings = Enumerable.Range(0, readingsPerBatch)
                .Select(i => new Reading(channel, origin.AddMilliseconds((seq * readingsPerBatch) + i), seq))
                .ToArray();
            var batch = new ReadingBatch(ProtocolRules.SchemaVersion, agentId, seq, DateTimeOffset.UtcNow, readings);
            await PublishAsync(client, Topics.AgentReadings(agentId), JsonSerializer.SerializeToUtf8Bytes(batch, ProtocolJsonContext.Default.ReadingBatch));
        }

        var (byA, byB) = await Eventually.MatchesAsync(
            async () => ((await a.GetIngestDiagnosticsAsync()).ReadingsAccepted - aBefore, (await b.GetIngestDiagnosticsAsync()).ReadingsAccepted - bBefore),
            s => s.Item1 + s.Item2 >= batches * readingsPerBatch,
            IngestTimeout,
            s => $"A accepted {s.Item1}, B {s.Item2} of {batches * readingsPerBatch} published");

        Assert.Equal(batches * readingsPerBatch, byA + byB);
        Assert.True(byA > 0 && byB > 0, $"One instance took every reading: A {byA}, B {byB}");
    }

    private static async Task PublishAsync(IMqttClient client, string topic, byte[] payload)
    {
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.True(result.IsSuccess, $"publish to {topic} refused: {result.ReasonCode}");
    }
}
