using System.Text.Json;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Control;
using Microsoft.Playwright;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>
/// An expert sets a PMT's HV from the PMT page of the running demo server: the request travels
/// over MQTT to the demo agent, whose SCPI driver talks TCP to the supply simulator.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class PmtControlTests(DemoServerFixture server, BrowserFixture browser)
{
    private const string AppReady = "[data-testid=app-ready]";
    private const string Pmt = "sd3b";

    // sd3b is the sixth PMT: channel 5 of the supply.
    private const string SupplyChannel = " 5,";

    // The PMT page charts 6 h in 600 buckets of about 36 s: a live point appears once the bucket
    // after the history's last one has closed, up to two bucket widths after loading.
    private static readonly TimeSpan LivePointTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task PmtSelected_TrendsLoaded_ReadbackTrendGainsALivePoint()
    {
        var running = await server.GetServerAsync();
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(running.BaseAddress, "/pmts").ToString());
            await page.Locator(AppReady).WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByTestId("pmt-select-sd1a").ClickAsync();
            await Assertions.Expect(page.GetByTestId("pmt-chart-hv")).ToHaveAttributeAsync("data-state", "loaded", new() { Timeout = 30_000 });
            var drawn = await LastReadbackPointAsync(page);

            await Eventually.MatchesAsync(
                () => LastReadbackPointAsync(page),
                last => last is not null && last != drawn,
                LivePointTimeout,
                last => $"the readback trend still ends at {last ?? "nothing"}, as drawn from history");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task ExpertSetsHv_ArmConfirm_ReplyShownAuditedAndTheSupplySawExactlyTheAcceptedCommands()
    {
        var running = await server.GetServerAsync();
        var user = "e2e-expert-" + Guid.NewGuid().ToString("N")[..8];
        var password = "e2e-" + Guid.NewGuid().ToString("N");
        await AdminCommand.CreateAdminAsync(running.DataDirectory, user, password);
        var page = await browser.NewPageAsync();
        var api = page.Context.APIRequest;
        try
        {
            await page.GotoAsync(new Uri(running.BaseAddress, "/login").ToString());
            await page.Locator(AppReady).WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByTestId("login-name").FillAsync(user);
            await page.GetByTestId("login-password").FillAsync(password);
            await page.GetByTestId("login-submit").ClickAsync();
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync(user);
            await page.GetByRole(AriaRole.Link, new() { Name = "PMTs", Exact = true }).ClickAsync();
            await page.WaitForURLAsync("**/pmts");
            await Assertions.Expect(page.GetByTestId("pmt-row-" + Pmt)).ToContainTextAsync("1500 V");

            await page.GetByTestId("pmt-select-" + Pmt).ClickAsync();
            await page.GetByTestId("hv-new").FillAsync("1520");
            await page.GetByTestId("hv-arm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("hv-armed-old")).ToHaveTextAsync("1500 V");
            await Assertions.Expect(page.GetByTestId("hv-armed-new")).ToHaveTextAsync("1520 V");
            await page.GetByTestId("hv-confirm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("hv-result")).ToHaveAttributeAsync("data-outcome", "accepted");

            await page.GetByTestId("hv-new").FillAsync("1700");
            await page.GetByTestId("hv-arm").ClickAsync();
            await page.GetByTestId("hv-confirm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("hv-result")).ToHaveAttributeAsync("data-outcome", "refused");
            await Assertions.Expect(page.GetByTestId("hv-result")).ToContainTextAsync("above the configured maximum of 1650 V");

            var audit = await api.GetAsync(new Uri(running.BaseAddress, AuthRoutes.Audit + "?action=control.hv-set").ToString());
            var auditText = await audit.TextAsync();
            Assert.True(audit.Ok, auditText);
            Assert.Contains($"\"target\":\"{ServerSettings.DemoAgentId}/{Pmt}\"", auditText, StringComparison.Ordinal);
            Assert.Contains("\"newValue\":\"1520 V\"", auditText, StringComparison.Ordinal);
            Assert.Contains("\"result\":\"accepted\"", auditText, StringComparison.Ordinal);

            var log = JsonSerializer.Deserialize<string[]>(await (await api.GetAsync(new Uri(running.BaseAddress, ControlRoutes.SimulatedSupplyLog).ToString())).TextAsync())!;
            var setCommands = log.Where(line => !line.Contains('?', StringComparison.Ordinal) && !line.StartsWith('*') && line.Contains(SupplyChannel, StringComparison.Ordinal));
            Assert.Equal(["RAMP 5,10", "VOLT 5,1520"], setCommands);
        }
        finally
        {
            // The collection shares this server and browser: put the PMT back and leave no session behind.
            await api.PostAsync(new Uri(running.BaseAddress, ControlRoutes.Hv).ToString(), new()
            {
                Headers = new Dictionary<string, string> { [CsrfHeader.Name] = CsrfHeader.Value },
                DataObject = new { agentId = ServerSettings.DemoAgentId, pmt = Pmt, volts = 1500, commandId = Guid.NewGuid().ToString("N") },
            });
            await api.PostAsync(new Uri(running.BaseAddress, AuthRoutes.Logout).ToString(), new()
            {
                Headers = new Dictionary<string, string> { [CsrfHeader.Name] = CsrfHeader.Value },
            });
            await page.CloseAsync();
        }
    }

    /// <summary>The time of the last point of the readback's mean line (trace 1 of the HV chart), as Plotly holds it.</summary>
    private static Task<string?> LastReadbackPointAsync(IPage page) =>
        page.EvaluateAsync<string?>(
            """
            () => {
                const x = document.getElementById('pmt-chart-hv')?.data?.[1]?.x;
                return x?.length ? String(x[x.length - 1]) : null;
            }
            """);
}
