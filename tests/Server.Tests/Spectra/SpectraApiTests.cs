using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Spectra;

/// <summary>The whole Server with its embedded broker: DAQ messages go in over MQTT, come out of the API and the hub.</summary>
public sealed class SpectraApiTests : IClassFixture<MonitorServerFactory>
{
    private readonly MonitorServerFactory _factory;
    private readonly HttpClient _http;

    public SpectraApiTests(MonitorServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
    }

    [Fact]
    public async Task Spectra_AcceptedSet_ListsEveryKeyWithTotalsAndRoiCounts()
    {
        await using var daq = await PublishAsync("daq-list", SpectraSamples.Set(3, 1, SpectraSamples.AllNpe(2)));

        var summaries = await Eventually.ReturnsAsync(() => SummariesAsync("daq-list"), s => s.Count == 8);

        var signal = summaries.Single(s => s.Key == "sd1.signal");
        Assert.Equal(3, signal.Run);
        Assert.Equal(25, signal.Triggers);
        Assert.Equal(SpectraSamples.AllNpe(2)[0].Counts.Sum(), signal.TotalCounts);
        Assert.Equal(SpectraRoutes.CountsBetween(SpectraSamples.AllNpe(2)[0].Edges, SpectraSamples.AllNpe(2)[0].Counts), signal.RoiCounts);
    }

    [Fact]
    public async Task Histogram_AsJsonAndCsv_CarriesEdgesAndCounts()
    {
        await using var daq = await PublishAsync("daq-one", SpectraSamples.Set(1, 1, SpectraSamples.AllNpe(1)));
        await Eventually.ReturnsAsync(() => SummariesAsync("daq-one"), s => s.Count == 8);

        var data = await _http.GetFromJsonAsync(SpectraRoutes.Histogram("daq-one", "sd3.pretrace"), ApiJsonContext.Default.SpectrumData);
        var csv = await _http.GetStringAsync(SpectraRoutes.HistogramCsv("daq-one", "sd3.pretrace"));
        var csvByFormat = await _http.GetStringAsync(SpectraRoutes.Histogram("daq-one", "sd3.pretrace") + "?format=csv");

        Assert.Equal(101, data!.Edges.Count);
        Assert.Equal(100, data.Counts.Count);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("low,high,count", lines[0]);
        Assert.Equal($"0,1,{data.Counts[0]}", lines[1]);
        Assert.Equal(csv, csvByFormat);
    }

    [Theory]
    [InlineData("/api/spectra/daq-one/sd9.signal")]
    [InlineData("/api/spectra/daq-one/sd1.signal?run=minus-one")]
    [InlineData("/api/spectra/daq-one/sd1.signal?format=xml")]
    [InlineData("/api/spectra/Bad%20Id/sd1.signal")]
    [InlineData("/api/spectra/daq-one/sd1.signal/rate?minutes=0")]
    [InlineData("/api/spectra/daq-one/sd1.signal/snapshots?run=x")]
    public async Task BadParameters_AreProblemJson400(string url)
    {
        var response = await _http.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Histogram_UnknownDaq_Is404()
    {
        var response = await _http.GetAsync(new Uri(SpectraRoutes.Histogram("daq-nobody", "sd1.signal"), UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Ingest_DecreasedCountsAndDuplicates_AreCountedAndTheNextGoodSetIsKept()
    {
        await using var daq = await PublishAsync("daq-rules", SpectraSamples.Set(1, 5, SpectraSamples.AllNpe(5)));
        await Eventually.ReturnsAsync(() => SummariesAsync("daq-rules"), s => s.Count == 8);

        await PublishOnAsync(daq, "daq-rules", SpectraSamples.Set(1, 6, SpectraSamples.AllNpe(4)));
        await PublishOnAsync(daq, "daq-rules", SpectraSamples.Set(1, 5, SpectraSamples.AllNpe(5)));
        await daq.RawAsync(Topics.DaqHistograms("daq-rules"), "not json");
        await PublishOnAsync(daq, "daq-rules", SpectraSamples.Set(1, 7, SpectraSamples.AllNpe(6)));

        var diagnostics = await Eventually.ReturnsAsync(
            () => _http.GetFromJsonAsync(ApiRoutes.IngestDiagnostics, ApiJsonContext.Default.IngestDiagnostics)!,
            d => d!.RejectedByReason.ContainsKey("counts-decreased") && d.RejectedByReason.ContainsKey("duplicate-sequence") && d.RejectedBySource.GetValueOrDefault("daq-rules") >= 3);
        var latest = await Eventually.ReturnsAsync(() => SummariesAsync("daq-rules"), s => s.All(x => x.Seq == 7));
        Assert.True(diagnostics!.RejectedByReason["malformed-json"] >= 1);
        Assert.Equal(7, latest[0].Seq);
    }

    [Fact]
    public async Task Status_MakesTheDaqAnOnlineAgentWithRateChannels()
    {
        await using var daq = await TestPublisher.ConnectAsync(_factory.MqttPort, "daq-status");
        await daq.RawAsync(Topics.DaqStatus("daq-test"), SpectraSamples.Json(SpectraSamples.Status(DateTimeOffset.UtcNow, triggerRate: 24.8)));

        var channel = await Eventually.ReturnsAsync(
            async () => (await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState))!.FirstOrDefault(c => c.Id == "daq.daq-test.trigger_rate"),
            c => c?.Value is not null);
        var agents = await _http.GetFromJsonAsync(ApiRoutes.Agents, ApiJsonContext.Default.IReadOnlyListAgentInfo);
        var livetime = (await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState))!.Single(c => c.Id == "daq.daq-test.livetime");

        Assert.Equal(24.8, channel!.Value);
        Assert.Equal(AgentState.Online, agents!.Single(a => a.Id == "daq-test").State);
        Assert.Equal(98.7, livetime.Value!.Value, 6);
    }

    [Fact]
    public async Task Hub_SubscribedConnection_ReceivesSpectraUpdate()
    {
        var received = new TaskCompletionSource<SpectraUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = await _factory.CreateHubConnectionAsync(role: null);
        connection.On<SpectraUpdate>(nameof(IMonitorClient.SpectraUpdated), update =>
        {
            if (update.DaqId == "daq-push")
            {
                received.TrySetResult(update);
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync(MonitorHubContract.SubscribeSpectra);

        await using var daq = await PublishAsync("daq-push", SpectraSamples.Set(2, 1, SpectraSamples.AllNpe(3)));
        var update = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(8, update.Histograms.Count);
        Assert.Equal(100, update.Histograms.Single(h => h.Key == "sd4.signal").Counts.Count);
    }

    [Fact]
    public async Task References_SavedRun_IsListedAndReadable()
    {
        await using var daq = await PublishAsync("daq-ref", SpectraSamples.Set(8, 1, SpectraSamples.AllNpe(4)));
        await Eventually.ReturnsAsync(() => SummariesAsync("daq-ref"), s => s.Count == 8);

        using var expert = await _factory.CreateClientAsync(AuthPolicies.Expert);
        var saved = await expert.PostAsJsonAsync(SpectraRoutes.References("daq-ref"), new SpectrumReferenceRequest("nominal", null), ApiJsonContext.Default.SpectrumReferenceRequest);
        var list = await _http.GetFromJsonAsync(SpectraRoutes.References("daq-ref"), ApiJsonContext.Default.IReadOnlyListSpectrumReferenceInfo);
        var reference = await _http.GetFromJsonAsync(SpectraRoutes.Histogram("daq-ref", "sd1.signal", reference: "nominal"), ApiJsonContext.Default.SpectrumData);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(8, Assert.Single(list!).Run);
        Assert.Equal("nominal", reference!.Reference);
        Assert.Equal(SpectraSamples.AllNpe(4)[0].Counts, reference.Counts);
    }

    [Fact]
    public async Task References_NameMissing_Is400()
    {
        using var expert = await _factory.CreateClientAsync(AuthPolicies.Expert);
        var response = await expert.PostAsJsonAsync(SpectraRoutes.References("daq-ref"), new SpectrumReferenceRequest("", null), ApiJsonContext.Default.SpectrumReferenceRequest);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task References_Shifter_IsForbidden()
    {
        using var shifter = await _factory.CreateClientAsync(AuthPolicies.Shifter);

        var response = await shifter.PostAsJsonAsync(SpectraRoutes.References("daq-ref"), new SpectrumReferenceRequest("mine", null), ApiJsonContext.Default.SpectrumReferenceRequest);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Rate_SinceRunStart_DividesGainedCountsByLivetime()
    {
        await using var daq = await PublishAsync("daq-rate", SpectraSamples.Set(1, 100, SpectraSamples.AllNpe(1)));
        await Eventually.ReturnsAsync(() => SummariesAsync("daq-rate"), s => s.Count == 8);
        // The set is current at once; its snapshot is written to state.db a moment later.
        await Eventually.ReturnsAsync(
            async () => (await _http.GetFromJsonAsync(SpectraRoutes.Snapshots("daq-rate", "sd1.signal", 1), ApiJsonContext.Default.IReadOnlyListSpectrumSnapshotInfo))!,
            snapshots => snapshots.Count == 1);

        var rate = await _http.GetFromJsonAsync(SpectraRoutes.Rate("daq-rate", "sd1.signal", 60), ApiJsonContext.Default.SpectrumRate);
        var runs = await _http.GetFromJsonAsync(SpectraRoutes.Runs("daq-rate"), ApiJsonContext.Default.IReadOnlyListSpectraRunInfo);

        // The run's first set is its first snapshot, so nothing was gained since.
        Assert.Equal(0, rate!.Counts);
        Assert.Equal(100, rate.Edges.Count - 1);
        Assert.Equal(1, Assert.Single(runs!).Run);
    }

    [Fact]
    public async Task Gains_SpeHistogramWithEnoughEntries_IsFittedIntoTheGainChannel()
    {
        await using var status = await TestPublisher.ConnectAsync(_factory.MqttPort, "daq-gain-status");
        await status.RawAsync(Topics.DaqStatus("daq-gain"), SpectraSamples.Json(SpectraSamples.Status(DateTimeOffset.UtcNow) with { DaqId = "daq-gain" }));
        var spe = SpectraSamples.Spe("sd2b", SpectraSamples.SpeSpectrum(1.6, 40_000, 10_000));
        await using var daq = await PublishAsync("daq-gain", SpectraSamples.Set(1, 1, spe));

        var gains = await Eventually.ReturnsAsync(
            async () => (await _http.GetFromJsonAsync(SpectraRoutes.Gains, ApiJsonContext.Default.IReadOnlyListSpeGainInfo))!,
            g => g.Any(x => x.DaqId == "daq-gain" && x.Pmt == "sd2b"));
        var channel = await Eventually.ReturnsAsync(
            async () => (await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState))!.FirstOrDefault(c => c.Id == "pmt.sd2b.gain"),
            c => c?.Value is not null);

        Assert.InRange(gains.Single(x => x.Pmt == "sd2b").GainPicocoulomb, 1.55, 1.65);
        Assert.Equal("pC", channel!.Unit);
        Assert.InRange(channel.Value!.Value, 1.55, 1.65);
    }

    [Fact]
    public async Task GainReference_StableFits_IsStoredAsTheFirstStableFit()
    {
        var cumulative = new long[200];
        await using var daq = await TestPublisher.ConnectAsync(_factory.MqttPort, "daq-gain-auto");
        for (var seq = 1; seq <= 3; seq++)
        {
            cumulative = [.. cumulative.Zip(SpectraSamples.SpeSpectrum(1.6, 50_000, 5_000, seed: seq), (a, b) => a + b)];
            await PublishOnAsync(daq, "daq-gain-auto", SpectraSamples.Set(2, seq, SpectraSamples.Spe("sd3a", cumulative)));
        }

        var references = await Eventually.ReturnsAsync(
            async () => (await _http.GetFromJsonAsync(SpectraRoutes.GainReferences("daq-gain-auto"), ApiJsonContext.Default.IReadOnlyListSpeGainReferenceInfo))!,
            r => r.Count > 0);

        var reference = Assert.Single(references);
        Assert.Equal(("sd3a", 2L, SpeGainReferenceSources.FirstStableFit), (reference.Pmt, reference.Run, reference.TakenBy));
        Assert.InRange(reference.GainPicocoulomb, 1.55, 1.65);
    }

    [Fact]
    public async Task GainReference_ExpertRetakes_IsStoredUnderTheUserAndAudited()
    {
        await using var daq = await PublishAsync("daq-gain-retake", SpectraSamples.Set(1, 1, SpectraSamples.Spe("sd4b", SpectraSamples.SpeSpectrum(1.5, 40_000, 10_000))));
        await Eventually.ReturnsAsync(
            async () => (await _http.GetFromJsonAsync(SpectraRoutes.Gains, ApiJsonContext.Default.IReadOnlyListSpeGainInfo))!,
            g => g.Any(x => x.DaqId == "daq-gain-retake"));
        using var expert = await _factory.CreateClientAsync(AuthPolicies.Expert);

        using var response = await expert.PostAsJsonAsync(SpectraRoutes.GainReferences("daq-gain-retake"), new SpeGainReferenceRequest("sd4b"), ApiJsonContext.Default.SpeGainReferenceRequest);
        var stored = await _http.GetFromJsonAsync(SpectraRoutes.GainReferences("daq-gain-retake"), ApiJsonContext.Default.IReadOnlyListSpeGainReferenceInfo);
        var gain = (await _http.GetFromJsonAsync(SpectraRoutes.Gains, ApiJsonContext.Default.IReadOnlyListSpeGainInfo))!.Single(g => g.DaqId == "daq-gain-retake");
        var audit = await _factory.Services.GetRequiredService<IAuditLog>().QueryAsync(
            new AuditQuery(null, null, null, SpectraEndpoints.GainReferenceAction, 0, 100), CancellationToken.None);

        var user = MonitorServerFactory.TestUserName(AuthPolicies.Expert);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("sd4b", user), (Assert.Single(stored!).Pmt, stored![0].TakenBy));
        Assert.Equal((user, 0.0), (gain.ReferenceSource, gain.DriftPercent));
        Assert.Contains(audit.Entries, e => e.Target == "daq-gain-retake/sd4b" && e.User == user);
    }

    [Fact]
    public async Task GainReference_NoFitYet_Is404()
    {
        using var expert = await _factory.CreateClientAsync(AuthPolicies.Expert);

        using var response = await expert.PostAsJsonAsync(SpectraRoutes.GainReferences("daq-no-fit"), new SpeGainReferenceRequest(null), ApiJsonContext.Default.SpeGainReferenceRequest);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GainReference_UnknownPmt_Is400()
    {
        using var expert = await _factory.CreateClientAsync(AuthPolicies.Expert);

        using var response = await expert.PostAsJsonAsync(SpectraRoutes.GainReferences("daq-no-fit"), new SpeGainReferenceRequest("sd9z"), ApiJsonContext.Default.SpeGainReferenceRequest);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GainReference_Shifter_IsForbidden()
    {
        using var shifter = await _factory.CreateClientAsync(AuthPolicies.Shifter);

        using var response = await shifter.PostAsJsonAsync(SpectraRoutes.GainReferences("daq-no-fit"), new SpeGainReferenceRequest(null), ApiJsonContext.Default.SpeGainReferenceRequest);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<IReadOnlyList<SpectrumSummary>> SummariesAsync(string daqId) =>
        [.. (await _http.GetFromJsonAsync(SpectraRoutes.Spectra, ApiJsonContext.Default.IReadOnlyListSpectrumSummary))!.Where(s => s.DaqId == daqId)];

    private async Task<TestPublisher> PublishAsync(string daqId, HistogramSet set)
    {
        var publisher = await TestPublisher.ConnectAsync(_factory.MqttPort, daqId);
        await PublishOnAsync(publisher, daqId, set);
        return publisher;
    }

    private static Task PublishOnAsync(TestPublisher publisher, string daqId, HistogramSet set) =>
        publisher.RawAsync(Topics.DaqHistograms(daqId), SpectraSamples.Json(set with { DaqId = daqId }));
}
