using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>
/// The server against a broker it does not own (mosquitto), fed by publishers it did not write:
/// mosquitto_pub sending the documented examples, and the edge agent as its own process.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class InteropTests(InteropFixture fixture)
{
    private static readonly TimeSpan IngestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AgentOnlineTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AgentOfflineTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ProtocolDocumentExamples_PublishedWithMosquittoPub_AreIngested()
    {
        var server = await fixture.GetServerAsync();
        var examples = ProtocolExamples.Parse(await File.ReadAllTextAsync(RepoPaths.ProtocolDocument));
        Assert.Contains(examples, e => !e.ExpectRejected && e.DeclaredChannels.Count > 0);
        Assert.Contains(examples, e => !e.ExpectRejected && e.ReportedChannels.Count > 0);
        var rejectedBefore = (await server.GetIngestDiagnosticsAsync()).MessagesRejected;
        using var payloads = new TempDirectory("examples");
        var now = DateTimeOffset.UtcNow;
        var shift = ProtocolExamples.ShiftToNow(examples, now);

        foreach (var example in examples)
        {
            var path = Path.Combine(payloads.Path, $"line-{example.Line}.json");
            await File.WriteAllTextAsync(path, example.Render(now, shift));
            await fixture.Broker.PublishFileAsync(example.Topic, path, example.Retain);
            if (!example.ExpectRejected && example.DeclaredChannels.Count > 0)
            {
                // A DAQ waits for nothing, but a birth handled after the readings that follow it
                // would make this test about ordering inside the server rather than about the document.
                await WaitForChannelsAsync(server, example.DeclaredChannels, needValues: false);
            }
        }

        var valid = examples.Where(e => !e.ExpectRejected).ToArray();
        await WaitForChannelsAsync(server, valid.SelectMany(e => e.DeclaredChannels).ToArray(), needValues: false);
        await WaitForChannelsAsync(server, valid.SelectMany(e => e.ReportedChannels).ToArray(), needValues: true);
        await CheckDaqExamplesAsync(server, valid);
        var expectedRejections = examples.Count(e => e.ExpectRejected);
        var diagnostics = await Eventually.MatchesAsync(
            server.GetIngestDiagnosticsAsync,
            d => d.MessagesRejected >= rejectedBefore + expectedRejections,
            IngestTimeout,
            d => $"{d.MessagesRejected - rejectedBefore} rejected, {expectedRejections} expected");
        Assert.True(
            diagnostics.MessagesRejected == rejectedBefore + expectedRejections,
            $"The documented examples caused {diagnostics.MessagesRejected - rejectedBefore} rejections, {expectedRejections} expected: "
            + string.Join(", ", diagnostics.RejectedByReason.Select(r => $"{r.Key}={r.Value}")));
    }

    [Fact]
    public async Task EdgeAgent_PublishingThroughMosquitto_ShowsOnlineWithItsChannels()
    {
        var server = await fixture.GetServerAsync();
        await using var agent = EdgeAgentProcess.Start("e2e-agent-online", fixture.Broker.Port);

        await WaitForAgentStateAsync(server, agent, AgentState.Online, AgentOnlineTimeout);

        await Eventually.MatchesAsync(
            server.GetChannelsAsync,
            channels => channels.Any(c => c.AgentId == agent.AgentId && c.Value is not null),
            AgentOnlineTimeout,
            channels => $"no channel of {agent.AgentId} with a value among {channels.Length} channels; agent said:\n{agent.Process.Output}");
    }

    [Fact]
    public async Task EdgeAgent_Terminated_ShowsOfflineWithinTenSeconds()
    {
        var server = await fixture.GetServerAsync();
        await using var agent = EdgeAgentProcess.Start("e2e-agent-stop", fixture.Broker.Port);
        await WaitForAgentStateAsync(server, agent, AgentState.Online, AgentOnlineTimeout);

        await agent.Process.SendTerminateAsync();

        await WaitForAgentStateAsync(server, agent, AgentState.Offline, AgentOfflineTimeout);
    }

    private static Task WaitForAgentStateAsync(ServerProcess server, EdgeAgentProcess agent, AgentState state, TimeSpan timeout) =>
        Eventually.MatchesAsync(
            server.GetAgentsAsync,
            agents => agents.Any(a => a.Id == agent.AgentId && a.State == state),
            timeout,
            agents => $"{agent.AgentId} is not {state}; agents: "
                + string.Join(", ", agents.Select(a => $"{a.Id}={a.State}"))
                + $"\nagent {(agent.Process.HasExited ? "exited" : "running")}, said:\n{agent.Process.Output}");

    /// <summary>A DAQ's status example becomes readings of its derived channels; its histogram examples become spectra.</summary>
    private static async Task CheckDaqExamplesAsync(ServerProcess server, IReadOnlyList<ProtocolExample> valid)
    {
        var daqs = valid.Where(e => e.Topic.StartsWith(Topics.DaqPrefix, StringComparison.Ordinal)).ToArray();
        Assert.Contains(daqs, e => e.Topic.EndsWith("/" + Topics.StatusSuffix, StringComparison.Ordinal));
        Assert.Contains(daqs, e => e.Topic.EndsWith("/" + Topics.HistogramsSuffix, StringComparison.Ordinal));
        foreach (var status in daqs.Where(e => e.Topic.EndsWith("/" + Topics.StatusSuffix, StringComparison.Ordinal)))
        {
            var daqId = status.Topic.Split('/')[3];
            await WaitForChannelsAsync(server, [$"daq.{daqId}.trigger_rate", $"daq.{daqId}.livetime", $"daq.{daqId}.veto_rate"], needValues: true);
        }

        foreach (var histograms in daqs.Where(e => e.Topic.EndsWith("/" + Topics.HistogramsSuffix, StringComparison.Ordinal)))
        {
            var set = JsonSerializer.Deserialize(histograms.Render(DateTimeOffset.UtcNow, TimeSpan.Zero), ProtocolJsonContext.Default.HistogramSet)!;
            await Eventually.MatchesAsync(
                async () => await server.Http.GetFromJsonAsync(SpectraRoutes.Spectra, ApiJsonContext.Default.IReadOnlyListSpectrumSummary) ?? [],
                spectra => set.Histograms.All(h => spectra.Any(s => s.DaqId == set.DaqId && s.Key == h.Key && s.Seq == set.Seq && s.TotalCounts == h.Counts.Sum())),
                IngestTimeout,
                spectra => $"spectra of {set.DaqId} seq {set.Seq} not all there: " + string.Join(", ", spectra.Select(s => $"{s.DaqId}/{s.Key}@{s.Seq}")));
        }
    }

    private static Task WaitForChannelsAsync(ServerProcess server, IReadOnlyCollection<string> ids, bool needValues) =>
        Eventually.MatchesAsync(
            server.GetChannelsAsync,
            channels => ids.All(id => channels.Any(c => c.Id == id && (!needValues || c.Value is not null))),
            IngestTimeout,
            channels => "missing" + (needValues ? " or without a value" : string.Empty) + ": "
                + string.Join(", ", ids.Where(id => !channels.Any(c => c.Id == id && (!needValues || c.Value is not null)))));
}
