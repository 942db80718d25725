using System.Net;
using System.Text.Json;
using Bunit;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Api;
using ExposurePage = Clovers.Monitor.Client.Pages.Exposure;

namespace Clovers.Monitor.Client.Tests.Exposure;

public sealed class ExposurePageTests : DashboardTestContext
{
    private static readonly DateTimeOffset s_start = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_now = s_start.AddDays(30);

    private static ExposureReport Report(double kilowatts = 140, bool fiveReached = false) => new(
        s_start,
        s_now,
        12,
        1.4156e21,
        30,
        360,
        26.67,
        111,
        26.67,
        1.17,
        138.84,
        2.07,
        kilowatts,
        7,
        [
            new SignificanceMilestone(3, false, kilowatts > 0 ? s_now.AddDays(33) : null),
            new SignificanceMilestone(5, fiveReached, fiveReached ? s_start.AddDays(20) : kilowatts > 0 ? s_now.AddDays(147) : null),
        ],
        [new SignificancePoint(s_start, 0), new SignificancePoint(s_start.AddDays(15), 1.46), new SignificancePoint(s_now, 2.07)],
        kilowatts > 0 ? [new SignificancePoint(s_now, 2.07), new SignificancePoint(s_now.AddDays(147), 5)] : []);

    private void Serve(ExposureReport report) =>
        Http.Override = uri => uri.AbsolutePath == ExposureRoutes.Exposure
            ? new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(JsonSerializer.Serialize(report, ApiJsonContext.Default.ExposureReport), System.Text.Encoding.UTF8, "application/json"),
            }
            : null;

    private IRenderedComponent<ExposurePage> RenderReady()
    {
        var page = Render<ExposurePage>();
        page.WaitForAssertion(() => Assert.Equal("ready", page.Find("[data-testid='exposure-status']").GetAttribute("data-state")));
        return page;
    }

    [Fact]
    public void Render_Report_ShowsProtonsOnTargetInScientificNotation()
    {
        Serve(Report());

        var page = RenderReady();

        Assert.Equal("1.42 × 10²¹", page.Find("[data-testid='exposure-pot']").TextContent);
    }

    [Fact]
    public void Render_Report_ShowsKilogramDaysSignificanceAndPowerWithUnits()
    {
        Serve(Report());

        var page = RenderReady();

        Assert.Equal(
            ["360.00 kg·days", "2.07 σ", "140.0 kW"],
            new[] { "exposure-kgdays", "exposure-significance", "exposure-power" }.Select(id => page.Find($"[data-testid='{id}']").TextContent));
    }

    [Fact]
    public void Render_Report_ShowsExpectedSignalAndBackground()
    {
        Serve(Report());

        var page = RenderReady();

        Assert.Equal(("26.7 events", "138.8 events"), (page.Find("[data-testid='exposure-signal']").TextContent, page.Find("[data-testid='exposure-background']").TextContent));
    }

    [Fact]
    public void Render_BeamOn_GivesTheProjectedDates()
    {
        Serve(Report());

        var page = RenderReady();

        Assert.Contains("expected 2026-12-03 (in 33 days)", page.Find("[data-testid='milestone-3']").TextContent, StringComparison.Ordinal);
        Assert.Contains("expected 2027-03-27 (in 147 days)", page.Find("[data-testid='milestone-5']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BeamOff_SaysThereIsNoDate()
    {
        Serve(Report(kilowatts: 0));

        var page = RenderReady();

        Assert.Contains("no date while the beam is off", page.Find("[data-testid='milestone-5']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FiveSigmaReached_SaysWhen()
    {
        Serve(Report(fiveReached: true));

        var page = RenderReady();

        Assert.Contains("reached on 2026-10-21", page.Find("[data-testid='milestone-5']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Report_DrawsAccumulatedAndProjectedTraces()
    {
        Serve(Report());

        var page = RenderReady();

        page.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == "newPlot" || i.Identifier == "react"));
        Assert.Single(page.FindAll("[data-testid='exposure-chart']"));
    }

    [Fact]
    public void Render_ServerError_SaysSo()
    {
        Http.Override = uri => new HttpResponseMessage(HttpStatusCode.InternalServerError);

        var page = Render<ExposurePage>();

        page.WaitForAssertion(() => Assert.Contains("Could not load the exposure", page.Find("[data-testid='exposure-status']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Refresh_AfterAMinute_AsksTheServerAgain()
    {
        Serve(Report());
        var page = RenderReady();
        var before = Http.Requests.Count(u => u.AbsolutePath == ExposureRoutes.Exposure);

        Time.Advance(ExposurePage.RefreshInterval);

        page.WaitForAssertion(() => Assert.True(Http.Requests.Count(u => u.AbsolutePath == ExposureRoutes.Exposure) > before));
    }
}
