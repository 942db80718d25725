using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Integration;

public sealed class IngestApiTests : IClassFixture<MonitorServerFactory>
{
    private static readonly ChannelDescriptor Level = new("cryo.ln2.level", "%", "LN2 level", ChannelGroup.Cryogenics, new Band(60, 95), 1)
    {
        Warn = new Band(40, null),
        Alarm = new Band(25, null),
    };

    private readonly MonitorServerFactory _factory;
    private readonly HttpClient _http;

    public IngestApiTests(MonitorServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
    }

    [Fact]
    public async Task Channels_AgentPublishesBirthAndReadings_ShowsItsValues()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "agent-values");
        await agent.BirthAsync("agent-values", Level with { Id = "cryo.ln2.level_a" });
        await agent.ReadingsAsync("agent-values", new Reading("cryo.ln2.level_a", DateTimeOffset.UtcNow, 81.5));

        var channel = await Eventually.ReturnsAsync(
            () => FindChannelAsync("cryo.ln2.level_a"),
            c => c?.Value is not null);

        Assert.Equal(81.5, channel!.Value);
        Assert.Equal(ChannelStatus.Ok, channel.Status);
        Assert.Equal("agent-values", channel.AgentId);
    }

    [Fact]
    public async Task Garbage_RaisesRejectionCounters_AndTheNextValidBatchIsStillIngested()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "agent-garbage");
        await agent.BirthAsync("agent-garbage", Level with { Id = "cryo.ln2.level_b" });
        var before = await DiagnosticsAsync();

        await agent.RawAsync(Topics.AgentReadings("agent-garbage"), "this is not json");
        await agent.RawAsync(Topics.AgentReadings("agent-garbage"), """{"schema":1,"agentId":"agent-garbage","seq":"x"}""");
        await agent.ReadingsAsync("agent-garbage", new Reading("cryo.ln2.level_b", DateTimeOffset.UtcNow, 70));

        var channel = await Eventually.ReturnsAsync(() => FindChannelAsync("cryo.ln2.level_b"), c => c?.Value is not null);
        var after = await DiagnosticsAsync();
        Assert.Equal(70, channel!.Value);
        Assert.Equal(before.MessagesRejected + 2, after.MessagesRejected);
        Assert.True(after.RejectedByReason[("malformed-json")] >= 2);
        Assert.True(after.RejectedBySource["agent-garbage"] >= 2);
    }

    [Fact]
    public async Task Readings_FromAgentWithoutBirth_ServerAsksForRebirthAndIngestsAfterIt()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "agent-reborn");
        var commands = await agent.ListenAsync(Topics.AgentCommands("agent-reborn"));

        await agent.ReadingsAsync("agent-reborn", new Reading("cryo.ln2.level_f", DateTimeOffset.UtcNow, 66));
        var command = JsonSerializer.Deserialize(await commands.Task.WaitAsync(TimeSpan.FromSeconds(10)), ProtocolJsonContext.Default.AgentCommand);
        await agent.BirthAsync("agent-reborn", Level with { Id = "cryo.ln2.level_f" });
        await agent.ReadingsAsync("agent-reborn", new Reading("cryo.ln2.level_f", DateTimeOffset.UtcNow, 67));

        Assert.Equal(AgentCommands.Rebirth, command!.Command);
        var channel = await Eventually.ReturnsAsync(() => FindChannelAsync("cryo.ln2.level_f"), c => c?.Value is not null);
        Assert.Equal(67, channel!.Value);
    }

    [Fact]
    public async Task Channels_ReadingOutsideAlarmBand_ShowsAlarm()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "agent-alarm");
        await agent.BirthAsync("agent-alarm", Level with { Id = "cryo.ln2.level_c" });
        await agent.ReadingsAsync("agent-alarm", new Reading("cryo.ln2.level_c", DateTimeOffset.UtcNow, 20));

        var channel = await Eventually.ReturnsAsync(() => FindChannelAsync("cryo.ln2.level_c"), c => c?.Value is not null);

        Assert.Equal(ChannelStatus.Alarm, channel!.Status);
    }

    [Fact]
    public async Task Agents_AgentSaysGoodbye_TurnsOffline()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "agent-bye");
        await agent.BirthAsync("agent-bye", Level with { Id = "cryo.ln2.level_d" });
        await Eventually.ReturnsAsync(() => FindAgentAsync("agent-bye"), a => a?.State == AgentState.Online);

        await agent.OfflineAsync("agent-bye");

        await Eventually.ReturnsAsync(() => FindAgentAsync("agent-bye"), a => a?.State == AgentState.Offline);
    }

    [Fact]
    public async Task Channels_OwnerAgentGoesOffline_ShowStaleAtOnce()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "agent-gone");
        await agent.BirthAsync("agent-gone", Level with { Id = "cryo.ln2.level_g" });
        await agent.ReadingsAsync("agent-gone", new Reading("cryo.ln2.level_g", DateTimeOffset.UtcNow, 80));
        await Eventually.ReturnsAsync(() => FindChannelAsync("cryo.ln2.level_g"), c => c?.Status == ChannelStatus.Ok);

        await agent.OfflineAsync("agent-gone");

        await Eventually.ReturnsAsync(() => FindChannelAsync("cryo.ln2.level_g"), c => c?.Status == ChannelStatus.Stale, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task History_StoredReadings_ComeBackInAtMostMaxPointsBucketsWithMinMaxMean()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "agent-history");
        await agent.BirthAsync("agent-history", Level with { Id = "cryo.ln2.level_e" });
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var readings = Enumerable.Range(0, 600).Select(i => new Reading("cryo.ln2.level_e", start.AddSeconds(i), i == 300 ? 5 : 80)).ToArray();
        await agent.ReadingsAsync("agent-history", readings);
        await Eventually.ReturnsAsync(DiagnosticsAsync, d => d.ReadingsStored >= 600);

        var history = await _http.GetFromJsonAsync(
            ApiRoutes.History("cryo.ln2.level_e", start, start.AddSeconds(600), 5),
            ApiJsonContext.Default.ChannelHistory);

        Assert.NotNull(history);
        Assert.InRange(history.Buckets.Count, 1, 5);
        Assert.Equal(600, history.Buckets.Sum(b => b.Count));
        Assert.Equal(5, history.Buckets.Min(b => b.Min));
        Assert.Equal(80, history.Buckets.Max(b => b.Max));
        Assert.Equal("%", history.Unit);
    }

    [Theory]
    [InlineData("/api/channels/cryo.ln2.level/history?from=yesterday")]
    [InlineData("/api/channels/cryo.ln2.level/history?maxPoints=0")]
    [InlineData("/api/channels/cryo.ln2.level/history?maxPoints=abc")]
    [InlineData("/api/channels/cryo.ln2.level/history?from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z")]
    [InlineData("/api/channels/NOT%20A%20CHANNEL/history")]
    public async Task History_BadParameters_AnswersProblemJson400(string url)
    {
        var response = await _http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Faults_DemoOff_AreRefusedWith403()
    {
        var response = await _http.PostAsync(ApiRoutes.SimulationFaults + "/dewar-warmup", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task History_UnknownChannel_Answers404()
    {
        var response = await _http.GetAsync("/api/channels/nobody.declared.this/history");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_IngestConnectedAndStoreAnswering_Is200()
    {
        var response = await Eventually.ReturnsAsync(() => _http.GetAsync(ApiRoutes.Health), r => r.StatusCode == HttpStatusCode.OK);

        var report = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.HealthReport);
        Assert.Equal("ok", report!.Status);
    }

    [Fact]
    public async Task OpenApi_DocumentsTheRestApi()
    {
        var document = await _http.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/channels/{id}/history", document, StringComparison.Ordinal);
        Assert.Contains("/api/diagnostics/ingest", document, StringComparison.Ordinal);
    }

    private async Task<ChannelState?> FindChannelAsync(string id)
    {
        var channels = await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState);
        return channels?.FirstOrDefault(c => c.Id == id);
    }

    private async Task<AgentInfo?> FindAgentAsync(string id)
    {
        var agents = await _http.GetFromJsonAsync(ApiRoutes.Agents, ApiJsonContext.Default.IReadOnlyListAgentInfo);
        return agents?.FirstOrDefault(a => a.Id == id);
    }

    private async Task<IngestDiagnostics> DiagnosticsAsync() =>
        (await _http.GetFromJsonAsync(ApiRoutes.IngestDiagnostics, ApiJsonContext.Default.IngestDiagnostics))!;
}
