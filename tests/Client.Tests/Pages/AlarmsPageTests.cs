using System.Net;
using System.Text.Json;
using Bunit;
using AlarmsPage = Clovers.Monitor.Client.Pages.Alarms;
using Clovers.Monitor.Client.Tests.Alarms;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Client.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Clovers.Monitor.Client.Tests.Alarms.TestAlarms;

namespace Clovers.Monitor.Client.Tests.Pages;

/// <summary>The page with the dashboard's services, but a stub that also sees methods and bodies as its server.</summary>
public sealed class AlarmsPageTests : BunitContext
{
    private readonly AlarmApiStub _api = new();

    public AlarmsPageTests()
    {
        Services.AddSingleton<ILiveData>(LiveData);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestChannels.Now));
        var http = new HttpClient(_api) { BaseAddress = new Uri("http://localhost/") };
        Services.AddSingleton(http);
        Services.AddSingleton(TestSessions.As(http, MonitorRoles.Shifter));
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    private FakeLiveData LiveData { get; } = new();

    private static AlarmHistoryEntry Entry(long id, string ruleId, AlarmState from, AlarmState to, string? comment = null) =>
        new(id, $"{ruleId}@1", ruleId, $"{ruleId} name", AlarmSeverity.Critical, from, to, TestChannels.Now.AddMinutes(-id), "shifter", 0.4, comment);

    private IRenderedComponent<AlarmsPage> RenderWithHvTrip()
    {
        LiveData.SetAlarms(Alarm(HvTrip, AlarmSeverity.Critical), Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning, AlarmState.ActiveAcknowledged));
        return Render<AlarmsPage>();
    }

    private static void Acknowledge(IRenderedComponent<AlarmsPage> page, string comment)
    {
        page.Find($"[data-testid='ack-{HvTrip}']").Click();
        page.Find("[data-testid='ack-comment']").Input(comment);
        page.Find("[data-testid='ack-submit']").Click();
    }

    [Fact]
    public void Render_ActiveAlarms_ARowEachWithItsState()
    {
        var page = RenderWithHvTrip();

        Assert.Equal("activeUnacknowledged", page.Find($"[data-testid='alarm-row-{HvTrip}']").GetAttribute("data-state"));
        Assert.Equal("activeAcknowledged", page.Find("[data-testid='alarm-row-cryo.temp.sd1.high-warn']").GetAttribute("data-state"));
    }

    [Fact]
    public void Render_ActiveAlarms_WorstFirst()
    {
        LiveData.SetAlarms(Alarm("w", AlarmSeverity.Warning), Alarm("c", AlarmSeverity.Critical), Alarm("m", AlarmSeverity.Major));

        var page = Render<AlarmsPage>();

        Assert.Equal(["alarm-row-c", "alarm-row-m", "alarm-row-w"], page.FindAll("[data-testid^='alarm-row-']").Select(r => r.GetAttribute("data-testid")));
    }

    [Fact]
    public void Render_NoAlarms_SaysSo()
    {
        var page = Render<AlarmsPage>();

        Assert.Single(page.FindAll("[data-testid='alarms-empty']"));
    }

    [Fact]
    public void Render_AcknowledgedAlarm_OffersNoAcknowledge()
    {
        var page = RenderWithHvTrip();

        Assert.Single(page.FindAll($"[data-testid='ack-{HvTrip}']"));
        Assert.Empty(page.FindAll("[data-testid='ack-cryo.temp.sd1.high-warn']"));
    }

    [Fact]
    public void Render_FlappingAndShelvedAlarms_CarryBadges()
    {
        LiveData.SetAlarms(
            Alarm("f", flapping: true),
            Alarm("s", state: AlarmState.Shelved, shelve: new ShelveInfo("shifter", TestChannels.Now.AddHours(2), "noisy sensor")));

        var page = Render<AlarmsPage>();

        Assert.Single(page.FindAll("[data-testid='flapping-f']"));
        Assert.Contains("14:00:00", page.Find("[data-testid='shelved-s']").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid='unshelve-s']"));
        Assert.Empty(page.FindAll("[data-testid='shelve-s']"));
    }

    [Fact]
    public void Acknowledge_WithComment_PostsTheCommentToTheRulesAckRoute()
    {
        var page = RenderWithHvTrip();

        Acknowledge(page, "HV supply reset by the shifter");

        page.WaitForAssertion(() => Assert.Single(_api.Posts));
        var post = _api.Posts.Single();
        Assert.Equal("/api/alarms/pmt.sd1a.hv.read.tripped/ack", post.PathAndQuery);
        Assert.Equal("HV supply reset by the shifter", JsonDocument.Parse(post.Body!).RootElement.GetProperty("comment").GetString());
    }

    [Fact]
    public void Acknowledge_Succeeded_ClosesTheFormAndReloadsHistory()
    {
        var page = RenderWithHvTrip();
        var historyLoads = _api.Requests.Count(r => r.Method == HttpMethod.Get);

        Acknowledge(page, "seen");

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='action-form']")));
        Assert.Equal(historyLoads + 1, _api.Requests.Count(r => r.Method == HttpMethod.Get));
    }

    [Fact]
    public void Acknowledge_EmptyComment_PostsNothing()
    {
        var page = RenderWithHvTrip();

        Acknowledge(page, "   ");

        Assert.Single(page.FindAll("[data-testid='action-validation']"));
        Assert.Empty(_api.Posts);
    }

    [Fact]
    public void Acknowledge_ServerRefuses_ShowsTheProblemDetail()
    {
        _api.ActionResponse = () => AlarmApiStub.Problem(HttpStatusCode.Conflict, "The alarm is already acknowledged.");
        var page = RenderWithHvTrip();

        Acknowledge(page, "seen");

        page.WaitForAssertion(() =>
            Assert.Contains("The alarm is already acknowledged.", page.Find("[data-testid='alarm-error']").TextContent, StringComparison.Ordinal));
        Assert.Single(page.FindAll("[data-testid='action-form']"));
    }

    [Fact]
    public void Shelve_WithHoursAndComment_PostsBoth()
    {
        var page = RenderWithHvTrip();

        page.Find($"[data-testid='shelve-{HvTrip}']").Click();
        page.Find("[data-testid='shelve-hours']").Change(4.5);
        page.Find("[data-testid='shelve-comment']").Input("supply under repair");
        page.Find("[data-testid='shelve-submit']").Click();

        page.WaitForAssertion(() => Assert.Single(_api.Posts));
        var post = _api.Posts.Single();
        var body = JsonDocument.Parse(post.Body!).RootElement;
        Assert.Equal($"/api/alarms/{HvTrip}/shelve", post.PathAndQuery);
        Assert.Equal((4.5, "supply under repair"), (body.GetProperty("hours").GetDouble(), body.GetProperty("comment").GetString()));
    }

    [Fact]
    public void Unshelve_WithComment_PostsToTheUnshelveRoute()
    {
        LiveData.SetAlarms(Alarm("s", state: AlarmState.Shelved, shelve: new ShelveInfo("shifter", TestChannels.Now.AddHours(2), "noisy")));
        var page = Render<AlarmsPage>();

        page.Find("[data-testid='unshelve-s']").Click();
        page.Find("[data-testid='unshelve-comment']").Input("repaired");
        page.Find("[data-testid='unshelve-submit']").Click();

        page.WaitForAssertion(() => Assert.Equal("/api/alarms/s/unshelve", Assert.Single(_api.Posts).PathAndQuery));
    }

    [Fact]
    public void Render_History_ARowPerEntry()
    {
        _api.History = [Entry(1, HvTrip, AlarmState.ActiveUnacknowledged, AlarmState.ActiveAcknowledged, "seen"), Entry(2, HvTrip, AlarmState.Normal, AlarmState.ActiveUnacknowledged)];

        var page = Render<AlarmsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='history-table'] [data-testid='history-row']").Count));
        Assert.Contains("seen", page.Find("[data-testid='history-row']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HistoryRefused_ShowsWhyInsteadOfAnEmptyRange()
    {
        _api.HistoryRefusal = "'from' must be before 'to'.";
        var page = Render<AlarmsPage>();

        page.WaitForAssertion(() =>
            Assert.Contains("'from' must be before 'to'.", page.Find("[data-testid='history-error']").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid='history-empty']"));
    }

    [Fact]
    public void Render_Initially_AsksForTheLastDayOfHistory()
    {
        Render<AlarmsPage>();

        var request = Assert.Single(_api.Requests);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost/"), request.PathAndQuery).Query);
        Assert.Equal(TestChannels.Now.AddDays(-1), DateTimeOffset.Parse(query["from"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TestChannels.Now, DateTimeOffset.Parse(query["to"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void HistoryFilters_RuleAndSeverityChosen_AreSentWithTheRange()
    {
        var page = Render<AlarmsPage>();

        page.Find("[data-testid='history-range']").Change("1h");
        page.Find("[data-testid='history-rule']").Change(HvTrip);
        page.Find("[data-testid='history-severity']").Change("critical");
        page.Find("[data-testid='history-filters']").Submit();

        page.WaitForAssertion(() => Assert.Equal(2, _api.Requests.Count));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost/"), _api.Requests.Last().PathAndQuery).Query);
        Assert.Equal((HvTrip, "critical"), (query["ruleId"], query["severity"]));
        Assert.Equal(TestChannels.Now.AddHours(-1), DateTimeOffset.Parse(query["from"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Changed_AlarmAcknowledgedElsewhere_RowStateFollows()
    {
        var page = RenderWithHvTrip();

        LiveData.SetAlarms(Alarm(HvTrip, AlarmSeverity.Critical, AlarmState.ActiveAcknowledged));
        await LiveData.RaiseChangedAsync();

        page.WaitForAssertion(() => Assert.Equal("activeAcknowledged", page.Find($"[data-testid='alarm-row-{HvTrip}']").GetAttribute("data-state")));
    }
}
