using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>The Diagnostics page in a real browser against a real server running the simulated platform.</summary>
[Collection(DemoCollection.Name)]
public sealed class DiagnosticsDashboardTests(DemoServerFixture server, BrowserFixture browser)
{
    private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Diagnostics_DemoRunning_ShowsIngestAndThisBrowsersHubConnection()
    {
        var running = await server.GetServerAsync();
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(running.BaseAddress, "/diagnostics").ToString());
            await page.Locator("[data-testid=app-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

            // The demo publishes through the embedded broker, so messages are counted and the
            // page's own live connection is among the hub's.
            await Assertions.Expect(page.GetByTestId("ingest-connected")).ToHaveTextAsync("connected", new() { Timeout = (float)RefreshTimeout.TotalMilliseconds });
            await Eventually.MatchesAsync(
                async () => (await page.GetByTestId("hub-connections").TextContentAsync() ?? "").Trim(),
                text => int.TryParse(text, out var connections) && connections >= 1,
                RefreshTimeout,
                text => $"hub connections shown: '{text}'");
            var first = (await page.GetByTestId("messages-received").TextContentAsync())?.Trim();
            await Eventually.MatchesAsync(
                async () => (await page.GetByTestId("messages-received").TextContentAsync())?.Trim(),
                text => text != first,
                RefreshTimeout,
                text => $"messages received stayed at {text}");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
