using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>The server as it runs out of the box: its own broker, the simulated platform feeding it.</summary>
[Collection(DemoCollection.Name)]
public sealed class AcceptanceTests(DemoServerFixture fixture)
{
    private const int MinimumDemoChannels = 30;

    private static readonly TimeSpan DemoStartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan IngestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DemoServer_AfterStart_ListsChannelsWithValuesWithinTenSeconds()
    {
        var server = await fixture.GetServerAsync();

        await Eventually.MatchesAsync(
            server.GetChannelsAsync,
            channels => channels.Count(c => c.Value is not null) >= MinimumDemoChannels,
            server.ReadyAt + DemoStartTimeout - DateTimeOffset.UtcNow,
            channels => $"{channels.Count(c => c.Value is not null)} of {channels.Length} channels have a value, {MinimumDemoChannels} wanted");
    }

    [Fact]
    public async Task DemoServer_AfterStart_ShowsSimulatedPlatformOnlineWithinTenSeconds()
    {
        var server = await fixture.GetServerAsync();

        await Eventually.MatchesAsync(
            server.GetAgentsAsync,
            agents => agents.Any(a => a.Id == ServerSettings.DemoAgentId && a.State == AgentState.Online),
            server.ReadyAt + DemoStartTimeout - DateTimeOffset.UtcNow,
            agents => "agents: " + string.Join(", ", agents.Select(a => $"{a.Id}={a.State}")));
    }

    [Fact]
    public async Task Ingest_GarbageOnReadingsTopic_CountsRejection()
    {
        var server = await fixture.GetServerAsync();
        var before = await server.GetIngestDiagnosticsAsync();

        await MosquittoFixture.PublishTextAsync(
            server.Settings.MqttPort, Topics.AgentReadings("x"), "this is not { json", retain: false);

        await Eventually.MatchesAsync(
            server.GetIngestDiagnosticsAsync,
            d => d.MessagesRejected > before.MessagesRejected,
            IngestTimeout,
            d => $"messagesRejected stayed {d.MessagesRejected}");
    }

    [Fact]
    public async Task Ingest_AfterGarbageOnReadingsTopic_KeepsAcceptingDemoReadings()
    {
        var server = await fixture.GetServerAsync();
        var before = await server.GetIngestDiagnosticsAsync();
        await MosquittoFixture.PublishTextAsync(
            server.Settings.MqttPort, Topics.AgentReadings("x"), "\u0000\u00ff garbage", retain: false);
        var afterGarbage = await Eventually.MatchesAsync(
            server.GetIngestDiagnosticsAsync,
            d => d.MessagesRejected > before.MessagesRejected,
            IngestTimeout,
            d => "the garbage was not rejected");

        await Eventually.MatchesAsync(
            server.GetIngestDiagnosticsAsync,
            d => d.ReadingsAccepted > afterGarbage.ReadingsAccepted,
            IngestTimeout,
            d => $"readingsAccepted stayed {d.ReadingsAccepted}");
    }
}
