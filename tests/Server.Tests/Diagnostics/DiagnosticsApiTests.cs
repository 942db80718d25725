using System.Net.Http.Json;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Diagnostics;

/// <summary>The diagnostics document and the Prometheus export of a whole Server, fed through its real embedded broker.</summary>
public sealed class DiagnosticsApiTests : IClassFixture<MonitorServerFactory>
{
    private static ChannelDescriptor Probe(string id) => new(id, "1", "diagnostics probe", ChannelGroup.Daq, new Band(0, 1e9), 1);

    private readonly MonitorServerFactory _factory;
    private readonly HttpClient _http;

    public DiagnosticsApiTests(MonitorServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
    }

    private async Task<ServerDiagnostics> DiagnosticsAsync() =>
        (await _http.GetFromJsonAsync(DiagnosticsRoutes.Diagnostics, DiagnosticsJsonContext.Default.ServerDiagnostics))!;

    private async Task PublishReadingsAsync(TestPublisher agent, string agentId, string channel, int batches, int readingsPerBatch)
    {
        var origin = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var b = 0; b < batches; b++)
        {
            await agent.ReadingsAsync(agentId, [.. Enumerable.Range(0, readingsPerBatch).Select(i => new Reading(channel, origin.AddMilliseconds((b * readingsPerBatch) + i), i))]);
        }
    }

    [Fact]
    public async Task Diagnostics_ReadingsArrive_TotalsAndRatesMove()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "diag-rates");
        await agent.BirthAsync("diag-rates", Probe("diag.rates.value"));
        var before = await DiagnosticsAsync();

        await PublishReadingsAsync(agent, "diag-rates", "diag.rates.value", batches: 5, readingsPerBatch: 20);

        var after = await Eventually.ReturnsAsync(DiagnosticsAsync, d => d.Ingest.ReadingsStored >= before.Ingest.ReadingsStored + 100);
        Assert.True(after.Ingest.MessagesReceived >= before.Ingest.MessagesReceived + 5);
        Assert.True(after.Ingest.ReadingsAccepted >= before.Ingest.ReadingsAccepted + 100);
        Assert.True(after.Rates.ReadingsPerSecond > 0, $"readings/s {after.Rates.ReadingsPerSecond}");
        Assert.True(after.Rates.MessagesPerSecond > 0, $"messages/s {after.Rates.MessagesPerSecond}");
        Assert.True(after.Ingest.StoreWriteLatency.Batches > before.Ingest.StoreWriteLatency.Batches);
    }

    [Fact]
    public async Task Diagnostics_Garbage_CountedByReasonAndSource()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "diag-garbage");

        await agent.RawAsync(Topics.AgentReadings("diag-garbage"), "not json at all");

        var after = await Eventually.ReturnsAsync(DiagnosticsAsync, d => d.Ingest.RejectedBySource.ContainsKey("diag-garbage"));
        Assert.True(after.Ingest.RejectedByReason["malformed-json"] >= 1);
    }

    [Fact]
    public async Task Diagnostics_PublisherConnected_CountedAmongEmbeddedBrokerClients()
    {
        var before = await DiagnosticsAsync();
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "diag-client");

        var after = await Eventually.ReturnsAsync(DiagnosticsAsync, d => d.Connections.MqttClients > before.Connections.MqttClients);
        Assert.True(after.Connections.IngestConnected);
    }

    [Fact]
    public async Task Diagnostics_BrowserConnectsAndLeaves_HubConnectionsFollow()
    {
        var before = (await DiagnosticsAsync()).Connections.HubConnections;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_factory.Server.BaseAddress, MonitorHubContract.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => _factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();
        await connection.StartAsync();

        await Eventually.ReturnsAsync(DiagnosticsAsync, d => d.Connections.HubConnections == before + 1);
        await connection.DisposeAsync();
        await Eventually.ReturnsAsync(DiagnosticsAsync, d => d.Connections.HubConnections == before);
    }

    [Fact]
    public async Task Diagnostics_AgentPublishesOutboxDepth_ListedForThatAgent()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "diag-outbox");
        await agent.BirthAsync("diag-outbox", Probe("agent.diag-outbox.outbox_depth"));

        await agent.ReadingsAsync("diag-outbox", new Reading("agent.diag-outbox.outbox_depth", DateTimeOffset.UtcNow, 321));

        var after = await Eventually.ReturnsAsync(DiagnosticsAsync, d => d.Outboxes.Any(o => o.AgentId == "diag-outbox"));
        Assert.Equal(321, after.Outboxes.Single(o => o.AgentId == "diag-outbox").Depth);
    }

    [Fact]
    public async Task Metrics_ReadingsArrive_PrometheusCountersMove()
    {
        await using var agent = await TestPublisher.ConnectAsync(_factory.MqttPort, "diag-metrics");
        await agent.BirthAsync("diag-metrics", Probe("diag.metrics.value"));
        var before = PrometheusValue(await _http.GetStringAsync(DiagnosticsRoutes.Metrics), "clovers_ingest_readings_stored_total");

        await PublishReadingsAsync(agent, "diag-metrics", "diag.metrics.value", batches: 3, readingsPerBatch: 10);

        var text = await Eventually.ReturnsAsync(
            () => _http.GetStringAsync(DiagnosticsRoutes.Metrics),
            t => PrometheusValue(t, "clovers_ingest_readings_stored_total") >= before + 30);
        Assert.True(PrometheusValue(text, "clovers_process_working_set_bytes") > 0);
        Assert.True(PrometheusValue(text, "clovers_uptime_seconds") > 0);
        Assert.Contains("clovers_queue_depth_items{queue=\"pipeline\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE clovers_ingest_messages_received_total counter", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_Served_AsPrometheusText()
    {
        using var response = await _http.GetAsync(DiagnosticsRoutes.Metrics);

        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    /// <summary>The value of an unlabelled sample in Prometheus text format.</summary>
    private static double PrometheusValue(string text, string name)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"{name} is not in the export:\n{text}");
        return double.Parse(line[(name.Length + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
