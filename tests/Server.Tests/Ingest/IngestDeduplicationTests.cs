using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Ingest;

/// <summary>Replays and acknowledgements through the Server's real embedded broker and ingest.</summary>
public sealed class IngestDeduplicationTests : IClassFixture<MonitorServerFactory>
{
    private static readonly ChannelDescriptor Level = new("cryo.ln2.dedup", "%", "LN2 level", ChannelGroup.Cryogenics, new Band(60, 95), 1);

    private readonly MonitorServerFactory _factory;
    private readonly HttpClient _http;

    public IngestDeduplicationTests(MonitorServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
    }

    private static string Batch(string agentId, long seq, string channel, DateTimeOffset at, double value) =>
        JsonSerializer.Serialize(
            new ReadingBatch(ProtocolRules.SchemaVersion, agentId, seq, at, [new Reading(channel, at, value)]),
            ProtocolJsonContext.Default.ReadingBatch);

    private async Task<IngestDiagnostics> DiagnosticsAsync() =>
        (await _http.GetFromJsonAsync(ApiRoutes.IngestDiagnostics, ApiJsonContext.Default.IngestDiagnostics))!;

    [Fact]
    public async Task Readings_SameSeqPublishedTwice_SecondIsDroppedAsStaleSequenceAndCountedOnce()
    {
        const string agentId = "agent-replay";
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, agentId);
        await agent.BirthAsync(agentId, Level);
        var seq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var at = DateTimeOffset.UtcNow;
        var before = await DiagnosticsAsync();

        await agent.RawAsync(Topics.AgentReadings(agentId), Batch(agentId, seq, Level.Id, at, 70));
        await agent.RawAsync(Topics.AgentReadings(agentId), Batch(agentId, seq, Level.Id, at, 70));

        // Both verdicts in (received is counted before its verdict) and the first batch stored.
        var after = await Eventually.ReturnsAsync(
            DiagnosticsAsync,
            d => d.MessagesAccepted + d.MessagesRejected >= before.MessagesAccepted + before.MessagesRejected + 2 && d.ReadingsStored > before.ReadingsStored);
        Assert.Equal(before.ReadingsAccepted + 1, after.ReadingsAccepted);
        Assert.Equal(before.RejectedByReason.GetValueOrDefault(RejectionReasons.StaleSequence) + 1, after.RejectedByReason[RejectionReasons.StaleSequence]);
    }

    [Fact]
    public async Task Readings_Stored_AreAcknowledgedToTheBrokerAndTheMarkIsPersisted()
    {
        const string agentId = "agent-acked";
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, agentId);
        await agent.BirthAsync(agentId, Level with { Id = "cryo.ln2.acked" });
        var ingest = _factory.Services.GetRequiredService<MqttIngestClient>();
        var seq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await agent.RawAsync(Topics.AgentReadings(agentId), Batch(agentId, seq, "cryo.ln2.acked", DateTimeOffset.UtcNow, 71));

        var marks = await Eventually.ReturnsAsync(
            () => _factory.Services.GetRequiredService<SequenceStore>().LoadAsync(CancellationToken.None),
            m => m.Any(p => p.Key == agentId),
            TimeSpan.FromSeconds(30),
            $"the mark of {agentId} was persisted");
        Assert.Equal(seq, marks.Single(p => p.Key == agentId).Value);
        await Eventually.ReturnsAsync(() => Task.FromResult(ingest.Acknowledged), n => n >= 2, TimeSpan.FromSeconds(30), "the birth and the batch were acknowledged");
    }
}
