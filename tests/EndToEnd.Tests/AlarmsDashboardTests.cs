using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Api;
using Microsoft.Playwright;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>
/// An alarm from a fault injected into the simulated platform, seen and acknowledged in a real
/// browser by a user who logged in through the login page (an admin made by <c>create-admin</c>).
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class AlarmsDashboardTests(DemoServerFixture server, BrowserFixture browser)
{
    private const string AppReady = "[data-testid=app-ready]";
    private const string HvTrip = "hv-trip";
    private const string UserName = "e2e-admin";
    private const string Password = "end-to-end password";

    // The rule id the default rules give the HV-tripped alarm of PMT sd1a.
    private const string HvTripRule = "pmt.sd1a.hv.read.tripped";

    // The HV decays in seconds and the rule waits 2 s more; the rest is margin for a loaded machine.
    private static readonly TimeSpan AlarmTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HvTripInjected_UserLogsInAndAcknowledges_RowBecomesAcknowledged()
    {
        var running = await server.GetServerAsync();
        await AdminCommand.CreateAdminAsync(running.DataDirectory, UserName, Password);
        var page = await browser.NewPageAsync();
        var faultRoute = ApiRoutes.SimulationFaults + "/" + HvTrip;
        try
        {
            await page.GotoAsync(new Uri(running.BaseAddress, "/login").ToString());
            await page.Locator(AppReady).WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByTestId("login-name").FillAsync(UserName);
            await page.GetByTestId("login-password").FillAsync(Password);
            await page.GetByTestId("login-submit").ClickAsync();
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync(UserName);
            await page.Locator("[data-testid=connection-state][data-state=connected]").WaitForAsync();

            using (var inject = await running.Http.PostAsync(faultRoute, content: null))
            {
                inject.EnsureSuccessStatusCode();
            }

            await Assertions.Expect(page.GetByTestId("alarm-banner"))
                .ToHaveAttributeAsync("data-level", "alarm", new() { Timeout = (float)AlarmTimeout.TotalMilliseconds });

            await page.GetByTestId("alarm-banner").GetByRole(AriaRole.Link).ClickAsync();
            await page.WaitForURLAsync("**/alarms");
            var row = page.GetByTestId("alarm-row-" + HvTripRule);
            await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "activeUnacknowledged", new() { Timeout = (float)AlarmTimeout.TotalMilliseconds });

            await page.GetByTestId("ack-" + HvTripRule).ClickAsync();
            await page.GetByTestId("ack-comment").FillAsync("End-to-end test: HV trip of sd1a seen");
            await page.GetByTestId("ack-submit").ClickAsync();

            await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "activeAcknowledged");
            await Assertions.Expect(page.GetByTestId("history-table")).ToBeVisibleAsync();
        }
        finally
        {
            // The other tests of the collection share this server: the fault must not outlive the test.
            using (var clear = await running.Http.DeleteAsync(faultRoute))
            {
                clear.EnsureSuccessStatusCode();
            }

            await page.CloseAsync();
        }
    }
}
