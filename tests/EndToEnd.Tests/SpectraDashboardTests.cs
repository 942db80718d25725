using System.Globalization;
using System.Text.Json;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Playwright;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>The Spectra page in a real browser, fed by histograms published through the server's broker.</summary>
[Collection(DemoCollection.Name)]
public sealed class SpectraDashboardTests(DemoServerFixture server, BrowserFixture browser)
{
    private const string DaqId = "e2e-daq";

    // A DAQ of its own, so that a saved reference changes no other test's shape alarms.
    private const string ReferenceDaqId = "e2e-ref-daq";
    private static readonly TimeSpan LiveUpdateTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Spectra_PublishedHistograms_ShowsNonEmptyHistogramsAndUpdatesThemLive()
    {
        var running = await server.GetServerAsync();
        using var publisher = await ConnectAsync(running.Settings.MqttPort);
        var runStart = DateTimeOffset.UtcNow;
        await PublishAsync(publisher, Set(runStart, seq: 1, scale: 2));
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(running.BaseAddress, $"/spectra?daq={DaqId}").ToString());
            await page.Locator("[data-testid=app-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.GetByTestId("spectra-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 20_000 });

            var firstRoi = await RoiCountsAsync(page, 1);
            Assert.True(firstRoi > 0, $"4–72 NPE counts of sub-detector 1: {firstRoi}");
            // A run seconds old has gained no livetime since its first snapshot, so the rate itself
            // may be missing; the line shows that the server answered for the span.
            await Eventually.MatchesAsync(
                () => page.GetByTestId("rate-sd1").TextContentAsync(),
                text => text is not null && text.Contains("last 10 min:", StringComparison.Ordinal)
                    && !text.Contains("loading", StringComparison.Ordinal) && !text.Contains("unavailable", StringComparison.Ordinal),
                LiveUpdateTimeout,
                text => $"the 4–72 NPE rate line of sub-detector 1 says \"{text}\"");
            for (var sd = 1; sd <= 4; sd++)
            {
                var plotted = await page.EvaluateAsync<double>(
                    $"() => Math.max(...document.getElementById('spectrum-chart-sd{sd}').data[0].y)");
                Assert.True(plotted > 0, $"sub-detector {sd} draws an empty signal histogram");
            }

            await PublishAsync(publisher, Set(runStart, seq: 2, scale: 5));
            await Eventually.MatchesAsync(
                () => RoiCountsAsync(page, 1),
                roi => roi > firstRoi,
                LiveUpdateTimeout,
                roi => $"4–72 NPE counts stayed at {roi}");
        }
        finally
        {
            await page.CloseAsync();
            await publisher.DisconnectAsync();
        }
    }

    [Fact]
    public async Task Spectra_DemoMode_DrawsTheSimulatedDaqsHistograms()
    {
        var running = await server.GetServerAsync();
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(running.BaseAddress, "/spectra?daq=daq-sim").ToString());
            await page.Locator("[data-testid=app-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.GetByTestId("spectra-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });

            // Early in a run the signal window after cuts is nearly empty (a few events a day);
            // the pretrace window fills at once with dark counts, so a drawn panel has counts.
            for (var sd = 1; sd <= 4; sd++)
            {
                var chart = $"spectrum-chart-sd{sd}";
                await Eventually.MatchesAsync(
                    () => page.EvaluateAsync<double>($"() => Math.max(0, ...(document.getElementById('{chart}')?.data ?? []).flatMap(t => t.y ?? []))"),
                    highest => highest > 0,
                    LiveUpdateTimeout,
                    highest => $"sub-detector {sd} of daq-sim draws empty histograms (highest bin {highest})");
            }
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Spectra_ExpertSavesReference_TheChooserOffersIt()
    {
        var running = await server.GetServerAsync();
        var user = "e2e-expert-" + Guid.NewGuid().ToString("N")[..8];
        var password = "e2e-" + Guid.NewGuid().ToString("N");
        var name = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        await AdminCommand.CreateAdminAsync(running.DataDirectory, user, password);
        using var publisher = await ConnectAsync(running.Settings.MqttPort);
        await PublishAsync(publisher, Set(DateTimeOffset.UtcNow, seq: 1, scale: 2, ReferenceDaqId));
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(running.BaseAddress, "/login").ToString());
            await page.Locator("[data-testid=app-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByTestId("login-name").FillAsync(user);
            await page.GetByTestId("login-password").FillAsync(password);
            await page.GetByTestId("login-submit").ClickAsync();
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync(user);
            await page.GotoAsync(new Uri(running.BaseAddress, $"/spectra?daq={ReferenceDaqId}").ToString());
            await page.Locator("[data-testid=app-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.GetByTestId("spectra-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 20_000 });

            await page.GetByTestId("save-reference").ClickAsync();
            await page.GetByTestId("reference-name").FillAsync(name);
            await page.GetByTestId("reference-save-submit").ClickAsync();

            await Assertions.Expect(page.GetByTestId("reference-save-result")).ToContainTextAsync($"“{name}”");
            await Assertions.Expect(page.Locator($"[data-testid=reference-picker] option[value='ref:{name}']")).ToHaveCountAsync(1);
        }
        finally
        {
            // The collection shares this server and browser: leave no session behind.
            await page.Context.APIRequest.PostAsync(new Uri(running.BaseAddress, AuthRoutes.Logout).ToString(), new()
            {
                Headers = new Dictionary<string, string> { [CsrfHeader.Name] = CsrfHeader.Value },
            });
            await page.CloseAsync();
            await publisher.DisconnectAsync();
        }
    }

    private static async Task<long> RoiCountsAsync(IPage page, int subDetector) =>
        long.TryParse(await page.GetByTestId($"roi-sd{subDetector}").GetAttributeAsync("data-counts"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var counts) ? counts : 0;

    private static HistogramSet Set(DateTimeOffset runStart, long seq, long scale, string daqId = DaqId)
    {
        double[] edges = [.. Enumerable.Range(0, 101).Select(i => (double)i)];
        var histograms = Enumerable.Range(1, 4).SelectMany(sd => new[] { DaqWindow.Signal, DaqWindow.Pretrace }.Select(window =>
            new Histogram(HistogramKeys.Npe(sd, window), HistogramKind.Npe, sd, window, null, HistogramKeys.NpeUnit, edges,
                [.. Enumerable.Range(0, 100).Select(i => scale * (1 + (200 / (i + 1))))])));
        return new HistogramSet(ProtocolRules.SchemaVersion, daqId, 1, seq, runStart.AddSeconds(seq), runStart, seq * 25, seq * 0.99, seq * 2.18e13, [.. histograms]);
    }

    private static async Task<IMqttClient> ConnectAsync(int port)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("e2e-spectra-" + Guid.NewGuid().ToString("N")).Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(options, timeout.Token);
        return client;
    }

    private static Task PublishAsync(IMqttClient client, HistogramSet set) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.DaqHistograms(set.DaqId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(set, ProtocolJsonContext.Default.HistogramSet))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
}
