using System.Net;
using System.Text.Json;
using Bunit;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using LogbookPage = Clovers.Monitor.Client.Pages.Logbook;

namespace Clovers.Monitor.Client.Tests.Logbook;

public sealed class LogbookPageTests : BunitContext
{
    private readonly LogbookServerStub _server = new();
    private readonly Clovers.Monitor.Client.Auth.UserSession _session;

    public LogbookPageTests()
    {
        var http = new HttpClient(_server) { BaseAddress = new Uri("http://localhost/") };
        Services.AddSingleton<ILiveData>(new FakeLiveData());
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestChannels.Now));
        Services.AddSingleton(http);
        Services.AddSingleton(_session = TestSessions.As(http, MonitorRoles.Shifter));
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    [Fact]
    public void Render_Entries_ShowsTheServersHtmlAndMarksAlarmComments()
    {
        _server.Page = _ => new Shared.Api.LogbookPage(
            [
                LogbookServerStub.Entry(1, "**LN2** refilled", "<p><strong>LN2</strong> refilled</p>"),
                LogbookServerStub.Entry(2, "ack", "<p>Acknowledged</p>", LogbookEntryKind.AlarmComment),
            ],
            0, 50, false);

        var page = Render<LogbookPage>();

        page.WaitForAssertion(() => Assert.Equal("LN2", page.Find("[data-testid='entry-1'] strong").TextContent));
        Assert.NotNull(page.Find("[data-testid='alarm-comment-2'] [data-testid='alarm-badge']"));
        Assert.Empty(page.FindAll("[data-testid='entry-1'] [data-testid='alarm-badge']"));
    }

    [Fact]
    public void Render_EntryWithSnapshot_ShowsItsChart()
    {
        var from = TestChannels.Now.AddHours(-1);
        var buckets = Enumerable.Range(0, 6).Select(i => new HistoryBucket(from.AddMinutes(10 * i), 77, 78, 77.5, 77.5, 10)).ToList();
        _server.Page = _ => new Shared.Api.LogbookPage(
            [LogbookServerStub.Entry(3, "see plot", "<p>see plot</p>", snapshots: [new LogbookChannelSnapshot("cryo.temp.sd1", "K", from, TestChannels.Now, 600, buckets)])],
            0, 50, false);

        var page = Render<LogbookPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='entry-3'] [data-testid='snapshot-chart']")));
    }

    [Fact]
    public void Submit_TextTagsAndChannels_PostsThemWithARange()
    {
        var page = Render<LogbookPage>();

        page.Find("[data-testid='entry-text']").Input("Refilled LN2");
        page.Find("[data-testid='entry-tags']").Change("Cryo, ln2");
        page.Find("[data-testid='entry-channels']").Change("cryo.ln2.level");
        page.Find("[data-testid='entry-submit']").Click();

        page.WaitForAssertion(() => Assert.Single(_server.Posts(LogbookRoutes.Entries)));
        var posted = JsonSerializer.Deserialize(_server.Posts(LogbookRoutes.Entries).Single()!, ApiJsonContext.Default.NewLogbookEntry)!;
        Assert.Equal("Refilled LN2", posted.Text);
        Assert.Equal(["cryo", "ln2"], posted.Tags);
        Assert.Equal(["cryo.ln2.level"], posted.Snapshot!.Channels);
        Assert.Equal(TimeSpan.FromHours(1), posted.Snapshot.To - posted.Snapshot.From);
    }

    [Fact]
    public void Submit_Written_ReloadsTheList()
    {
        var page = Render<LogbookPage>();
        page.WaitForAssertion(() => Assert.Single(_server.Gets(LogbookRoutes.Entries)));

        page.Find("[data-testid='entry-text']").Input("note");
        page.Find("[data-testid='entry-submit']").Click();

        page.WaitForAssertion(() => Assert.Equal(2, _server.Gets(LogbookRoutes.Entries).Count()));
    }

    [Fact]
    public void Submit_RefusedByTheServer_ShowsWhy()
    {
        _server.PostStatus = HttpStatusCode.Forbidden;
        var page = Render<LogbookPage>();

        page.Find("[data-testid='entry-text']").Input("note");
        page.Find("[data-testid='entry-submit']").Click();

        page.WaitForAssertion(() => Assert.Contains("shifter", page.Find("[data-testid='entry-error']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_AsViewer_DisablesWritingWithAHint()
    {
        await _session.SetAsync(TestSessions.User(MonitorRoles.Viewer));

        var page = Render<LogbookPage>();

        Assert.True(page.Find("[data-testid='entry-submit']").HasAttribute("disabled"));
        Assert.Contains("shifter", page.Find("[data-testid='entry-login-hint']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_ShowsTheHtmlTheServerRendered()
    {
        var page = Render<LogbookPage>();

        page.Find("[data-testid='entry-text']").Input("**preview**");
        page.Find("[data-testid='entry-preview']").Click();

        page.WaitForAssertion(() => Assert.Equal("preview", page.Find("[data-testid='entry-preview-html'] strong").TextContent));
        Assert.Contains("\"text\":\"**preview**\"", _server.Posts(LogbookRoutes.Preview).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Search_Filters_AreSentAsQuery()
    {
        var page = Render<LogbookPage>();

        page.Find("[data-testid='filter-tag']").Change("HV");
        page.Find("[data-testid='filter-author']").Change("alice");
        page.Find("[data-testid='filter-alarms']").Change(false);
        page.Find("[data-testid='filter-apply']").Click();

        page.WaitForAssertion(() =>
        {
            var query = _server.Gets(LogbookRoutes.Entries).Last().Query;
            Assert.Contains("tag=hv", query, StringComparison.Ordinal);
            Assert.Contains("author=alice", query, StringComparison.Ordinal);
            Assert.Contains("alarms=false", query, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void LoadMore_AsksForTheNextPageAndAppendsIt()
    {
        _server.Page = uri => uri.Query.Contains("offset=1", StringComparison.Ordinal)
            ? new Shared.Api.LogbookPage([LogbookServerStub.Entry(2, "older", "<p>older</p>")], 1, 50, false)
            : new Shared.Api.LogbookPage([LogbookServerStub.Entry(1, "newer", "<p>newer</p>")], 0, 50, true);
        var page = Render<LogbookPage>();

        page.WaitForAssertion(() => page.Find("[data-testid='load-more']").Click());

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("article.entry").Count));
        Assert.Empty(page.FindAll("[data-testid='load-more']"));
    }
}
