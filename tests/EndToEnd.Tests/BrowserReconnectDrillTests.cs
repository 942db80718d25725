using System.Text.RegularExpressions;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>
/// The browser's connection to the hub cut for a while (its WebSocket closed and every new hub
/// request refused): the page shows it is reconnecting, reconnects by itself once the way is
/// open again, and the trend fills the gap from history.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed partial class BrowserReconnectDrillTests(DemoServerFixture server, BrowserFixture browser)
{
    private const string TrendChannel = "cryo.ln2.level";
    private static readonly TimeSpan Cut = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task HubConnectionCut_PageReconnectsByItselfAndTheTrendFillsTheGap()
    {
        var running = await server.GetServerAsync();
        var page = await browser.NewPageAsync();
        var blocked = false;
        var sockets = new List<IWebSocketRoute>();
        try
        {
            await page.RouteWebSocketAsync(HubRegex(), async socket =>
            {
                if (Volatile.Read(ref blocked))
                {
                    await socket.CloseAsync();
                    return;
                }

                socket.ConnectToServer();
                lock (sockets)
                {
                    sockets.Add(socket);
                }
            });
            await page.RouteAsync(HubRegex(), async route =>
            {
                if (Volatile.Read(ref blocked))
                {
                    await route.AbortAsync();
                }
                else
                {
                    await route.ContinueAsync();
                }
            });

            await page.GotoAsync(new Uri(running.BaseAddress, "/trends").ToString());
            await page.Locator("[data-testid=app-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByTestId("channel-picker").SelectOptionAsync(new SelectOptionValue { Value = TrendChannel });
            await page.GetByTestId("range-15m").ClickAsync();
            await page.Locator("[data-testid=connection-state][data-state=connected]").WaitForAsync();
            await WaitForPointsAsync(page, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1), atLeast: 1);

            var cutAt = DateTimeOffset.UtcNow;
            Volatile.Write(ref blocked, true);
            IWebSocketRoute[] open;
            lock (sockets)
            {
                open = [.. sockets];
            }

            foreach (var socket in open)
            {
                await socket.CloseAsync();
            }

            await page.Locator("[data-testid=connection-state]:not([data-state=connected])").WaitForAsync();
            await Task.Delay(Cut);
            var reopenedAt = DateTimeOffset.UtcNow;
            Volatile.Write(ref blocked, false);

            await page.Locator("[data-testid=connection-state][data-state=connected]").WaitForAsync(new() { Timeout = 60_000 });
            await WaitForPointsAsync(page, cutAt.AddSeconds(1), reopenedAt.AddSeconds(-1), atLeast: 4);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Waits until the chart's first trace has this many points in [from, to].</summary>
    private static Task<int> WaitForPointsAsync(IPage page, DateTimeOffset from, DateTimeOffset to, int atLeast) =>
        Eventually.MatchesAsync(
            () => page.EvaluateAsync<int>(
                """
                ([from, to]) => {
                    const chart = document.querySelector('[data-testid=trend-chart] .js-plotly-plot') ?? document.querySelector('.js-plotly-plot');
                    const xs = chart?.data?.[0]?.x ?? [];
                    return Array.from(xs).filter(x => { const t = new Date(x).getTime(); return t >= from && t <= to; }).length;
                }
                """,
                new[] { from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds() }),
            points => points >= atLeast,
            TimeSpan.FromSeconds(30),
            points => $"{points} of at least {atLeast} points between {from:HH:mm:ss} and {to:HH:mm:ss}");

    [GeneratedRegex("/hubs/monitor")]
    private static partial Regex HubRegex();
}
