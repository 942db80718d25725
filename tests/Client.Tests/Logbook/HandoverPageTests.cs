using Bunit;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using HandoverPage = Clovers.Monitor.Client.Pages.Handover;

namespace Clovers.Monitor.Client.Tests.Logbook;

public sealed class HandoverPageTests : BunitContext
{
    private static readonly DateTimeOffset ShiftStart = new(2026, 11, 26, 16, 0, 0, TimeSpan.Zero);

    private readonly LogbookServerStub _server = new();

    public HandoverPageTests()
    {
        _server.Report = uri => Report(uri.Query.Contains("from=", StringComparison.Ordinal) ? ShiftStart.AddHours(-8) : ShiftStart);
        Services.AddSingleton(new HttpClient(_server) { BaseAddress = new Uri("http://localhost/") });
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    [Fact]
    public void Render_CurrentShift_ShowsBeamAlarmsAndRefills()
    {
        var page = Render<HandoverPage>();

        page.WaitForAssertion(() => Assert.Equal("1.57e19", page.Find("[data-testid='handover-pot']").TextContent));
        Assert.Equal("4.00 kg·days", page.Find("[data-testid='handover-exposure']").TextContent);
        Assert.Contains("1 acknowledged", page.Find("[data-testid='handover-alarm-counts']").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 still open", page.Find("[data-testid='handover-alarm-counts']").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("2 refill(s)", page.Find("[data-testid='handover-refills']").TextContent, StringComparison.Ordinal);
        Assert.Equal(HandoverRoutes.Report, Assert.Single(_server.Gets(HandoverRoutes.Report)).PathAndQuery);
    }

    [Fact]
    public void Render_HvChanges_NameWhoCommandedThemOrSayTheyDidNotComeThroughTheMonitor()
    {
        var page = Render<HandoverPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='handover-hv-source']").Count));
        var sources = page.FindAll("[data-testid='handover-hv-source']").Select(s => s.TextContent).ToList();
        Assert.StartsWith("by bob at ", sources[0], StringComparison.Ordinal);
        Assert.Equal("not via the monitor", sources[1]);
    }

    [Fact]
    public void Print_CallsTheBrowsersPrint()
    {
        var page = Render<HandoverPage>();
        page.WaitForAssertion(() => page.Find("[data-testid='handover-report']"));

        page.Find("[data-testid='handover-print']").Click();

        JSInterop.VerifyInvoke("print");
    }

    [Fact]
    public void PreviousShift_AsksForTheWindowBeforeTheShown()
    {
        var page = Render<HandoverPage>();
        page.WaitForAssertion(() => page.Find("[data-testid='handover-report']"));

        page.Find("[data-testid='handover-previous']").Click();

        page.WaitForAssertion(() => Assert.Equal(2, _server.Gets(HandoverRoutes.Report).Count()));
        var query = Uri.UnescapeDataString(_server.Gets(HandoverRoutes.Report).Last().Query);
        Assert.Contains("from=2026-11-26T08:00:00", query, StringComparison.Ordinal);
        Assert.Contains("to=2026-11-26T16:00:00", query, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_PointAtThePrintableAndMarkdownExportsOfTheShownWindow()
    {
        var page = Render<HandoverPage>();

        page.WaitForAssertion(() => Assert.Contains("format=html", page.Find("[data-testid='handover-html']").GetAttribute("href"), StringComparison.Ordinal));
        Assert.Contains("format=markdown", page.Find("[data-testid='handover-markdown']").GetAttribute("href"), StringComparison.Ordinal);
    }

    private static HandoverReport Report(DateTimeOffset from)
    {
        HandoverAlarm Alarm(string rule, AlarmState state) => new(rule + "@1", rule, rule, AlarmSeverity.Major, state, from.AddHours(1), "alice", "checked");
        return new HandoverReport(
            from,
            from.AddHours(8),
            from.AddHours(8),
            new HandoverAlarms([Alarm("a", AlarmState.ActiveUnacknowledged), Alarm("b", AlarmState.ActiveUnacknowledged)], [Alarm("a", AlarmState.ActiveAcknowledged)], [Alarm("b", AlarmState.ActiveUnacknowledged)]),
            new HandoverBeam(1120, 8 * 3600 * 5.46e14, 4, 8, 140, 8),
            [new HandoverRefill(from.AddHours(2), 70, 90), new HandoverRefill(from.AddHours(5), 72, 91)],
            [
                new HandoverHvChange("pmt.sd1a.hv.set", from.AddHours(4), 1500, 1480)
                {
                    Command = new HandoverHvCommand("cmd-1", "platform-sim", "bob", from.AddHours(4).AddSeconds(-20), 1500, 1480),
                },
                new HandoverHvChange("pmt.sd2a.hv.set", from.AddHours(6), 1500, 1510),
            ],
            [LogbookServerStub.Entry(1, "note", "<p>note</p>")]);
    }
}
