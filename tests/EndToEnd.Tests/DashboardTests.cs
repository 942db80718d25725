using System.Text.RegularExpressions;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>The dashboard in a real browser, fed by the simulated platform of a real server.</summary>
[Collection(DemoCollection.Name)]
public sealed partial class DashboardTests(DemoServerFixture server, BrowserFixture browser)
{
    private const string AppReady = "[data-testid=app-ready]";
    private const string ValueElements = "[data-testid^='value-']";
    private const string ChannelRows = "[data-testid^='row-']";
    private const string TrendChannel = "cryo.ln2.level";

    private static readonly TimeSpan LiveUpdateTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] Subsystems = ["cryogenics", "pmt", "beam", "veto", "agents"];
    private static readonly string[] Statuses = ["ok", "warn", "alarm", "stale", "unknown"];

    [Fact]
    public async Task Overview_DemoRunning_ShowsSimulationBadge()
    {
        await WithPageAsync("/", async page =>
        {
            await Assertions.Expect(page.GetByTestId("simulation-badge")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Overview_DemoRunning_ShowsATileWithAStatusPerSubsystem()
    {
        await WithPageAsync("/", async page =>
        {
            foreach (var subsystem in Subsystems)
            {
                var tile = page.GetByTestId("tile-" + subsystem);
                await Assertions.Expect(tile).ToBeVisibleAsync();
                Assert.Contains(await tile.GetAttributeAsync("data-status"), Statuses);
            }
        });
    }

    [Fact]
    public async Task Overview_DemoRunning_ShowsATableRowPerChannelOfTheApi()
    {
        var running = await server.GetServerAsync();
        await WithPageAsync("/", async page =>
        {
            var expected = (await running.GetChannelsAsync()).Select(c => "row-" + c.Id).Order(StringComparer.Ordinal).ToArray();

            await Eventually.MatchesAsync(
                async () => (await page.Locator(ChannelRows).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.testid)"))
                    .Order(StringComparer.Ordinal).ToArray(),
                rows => rows.SequenceEqual(expected, StringComparer.Ordinal),
                LiveUpdateTimeout,
                rows => $"{rows.Length} rows for {expected.Length} channels; missing: {string.Join(", ", expected.Except(rows).Take(10))}");
        });
    }

    [Fact]
    public async Task Overview_DemoRunning_UpdatesAValueWithinTenSeconds()
    {
        await WithPageAsync("/", async page =>
        {
            await page.Locator("[data-testid=connection-state][data-state=connected]").WaitForAsync();
            await Assertions.Expect(page.Locator(ValueElements).Filter(new() { HasTextRegex = DigitRegex() }).First)
                .ToBeVisibleAsync();
            var first = await page.Locator(ValueElements).AllInnerTextsAsync();

            await Eventually.MatchesAsync(
                () => page.Locator(ValueElements).AllInnerTextsAsync(),
                now => !now.SequenceEqual(first),
                LiveUpdateTimeout,
                now => $"{now.Count} values never changed: {string.Join(" | ", now)}");
        });
    }

    [Fact]
    public async Task Trends_ChannelPicked_PlotsATrace()
    {
        await WithPageAsync("/trends", async page =>
        {
            await PickChannelAsync(page, TrendChannel);
            await page.GetByTestId("range-15m").ClickAsync();

            await page.WaitForFunctionAsync(
                """
                () => [...document.querySelectorAll('[data-testid=trend-chart] .scatterlayer .trace path')]
                    .some(path => (path.getAttribute('d') ?? '').trim().length > 0)
                """);
        });
    }

    /// <summary>
    /// Picks a channel in the Trends picker, whichever form it takes: a (multiple) select whose
    /// option values are channel ids, or a container of checkboxes whose values are channel ids.
    /// </summary>
    private static async Task PickChannelAsync(IPage page, string channelId)
    {
        var picker = page.GetByTestId("channel-picker");
        await picker.WaitForAsync();
        var select = await picker.EvaluateAsync<string>("e => e.tagName") == "SELECT" ? picker : picker.Locator("select");
        if (await select.CountAsync() > 0)
        {
            await select.First.SelectOptionAsync(new SelectOptionValue { Value = channelId });
            return;
        }

        await picker.Locator($"input[type=checkbox][value=\"{channelId}\"]").CheckAsync();
    }

    private async Task WithPageAsync(string path, Func<IPage, Task> test)
    {
        var running = await server.GetServerAsync();
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(running.BaseAddress, path).ToString());
            await page.Locator(AppReady).WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await test(page);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [GeneratedRegex("[0-9]")]
    private static partial Regex DigitRegex();
}
