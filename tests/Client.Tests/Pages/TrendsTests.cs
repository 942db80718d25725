using Bunit;
using Bunit.TestDoubles;
using TrendsPage = Clovers.Monitor.Client.Pages.Trends;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Pages;

public sealed class TrendsTests : DashboardTestContext
{
    public TrendsTests()
    {
        LiveData.SetChannels(Platform());
    }

    private string[] HistoryRequestsFor(string channelId) =>
        [.. Http.Requests.Select(uri => uri.ToString()).Where(uri => uri.Contains($"/api/channels/{channelId}/history", StringComparison.Ordinal))];

    private IRenderedComponent<TrendsPage> RenderAt(string relativeUri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(relativeUri);
        return Render<TrendsPage>();
    }

    private int ExtendTracesCalls() => JSInterop.Invocations.Count(invocation => invocation.Identifier == "extendTraces");

    [Fact]
    public void Render_Always_HasTheChartElement()
    {
        var page = Render<TrendsPage>();

        Assert.Single(page.FindAll("[data-testid='trend-chart']"));
    }

    [Fact]
    public void Render_Snapshot_PickerListsEveryChannel()
    {
        var page = Render<TrendsPage>();

        var options = page.FindAll("[data-testid='channel-picker'] option").Select(o => o.GetAttribute("value"));
        Assert.Equal(Platform().Select(c => c.Id).Order(StringComparer.Ordinal), options.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_Always_OffersAllSixRanges()
    {
        var page = Render<TrendsPage>();

        foreach (var key in new[] { "15m", "1h", "6h", "24h", "7d", "30d" })
        {
            Assert.Single(page.FindAll($"[data-testid='range-{key}']"));
        }
    }

    [Fact]
    public async Task Changed_NewChannelAppears_PickerListsIt()
    {
        var page = Render<TrendsPage>();

        LiveData.SetChannels([.. Platform(), Channel("cryo.pressure", ChannelGroup.Cryogenics, 1, unit: "bar")]);
        await LiveData.RaiseChangedAsync();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("option[value='cryo.pressure']")));
    }

    [Fact]
    public void Render_NothingChosen_LoadsNoHistory()
    {
        Render<TrendsPage>();

        Assert.Empty(Http.Requests);
    }

    [Fact]
    public void Render_DeepLink_LoadsHistoryOfLinkedChannelsForLinkedRange()
    {
        var page = RenderAt("trends?channels=cryo.ln2.level,beam.power&range=6h");

        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='trend-status']").GetAttribute("data-state")));
        var request = Assert.Single(HistoryRequestsFor("cryo.ln2.level"));
        Assert.Contains("maxPoints=600", request, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(Now.AddHours(-6).UtcDateTime.ToString("O")), request, StringComparison.Ordinal);
        Assert.Single(HistoryRequestsFor("beam.power"));
        Assert.Equal("true", page.Find("[data-testid='range-6h']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Change_ChannelPicked_LoadsItsHistoryAndPutsItInTheAddress()
    {
        var page = Render<TrendsPage>();

        page.Find("[data-testid='channel-picker']").Change(new[] { "veto.rate" });

        page.WaitForAssertion(() => Assert.Single(HistoryRequestsFor("veto.rate")));
        Assert.Contains("channels=veto.rate", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Click_Range_ReloadsForThatRange()
    {
        var page = RenderAt("trends?channels=veto.rate");
        page.WaitForAssertion(() => Assert.Single(HistoryRequestsFor("veto.rate")));

        page.Find("[data-testid='range-24h']").Click();

        page.WaitForAssertion(() => Assert.Equal(2, HistoryRequestsFor("veto.rate").Length));
        Assert.Contains(Uri.EscapeDataString(Now.AddHours(-24).UtcDateTime.ToString("O")), HistoryRequestsFor("veto.rate")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HistoryFails_SaysSo()
    {
        Http.Override = _ => new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError);

        var page = RenderAt("trends?channels=veto.rate");

        page.WaitForAssertion(() => Assert.Equal("error", page.Find("[data-testid='trend-status']").GetAttribute("data-state")));
    }

    [Fact]
    public void Render_OneLinkedChannelUnknown_PlotsTheOthersAndNamesTheMissingOne()
    {
        Http.Override = uri => uri.AbsolutePath.Contains("no.such", StringComparison.Ordinal)
            ? new HttpResponseMessage(System.Net.HttpStatusCode.NotFound)
            : null;

        var page = RenderAt("trends?channels=no.such,veto.rate");

        page.WaitForAssertion(() => Assert.Equal("partial", page.Find("[data-testid='trend-status']").GetAttribute("data-state")));
        Assert.Contains("no.such (HTTP 404)", page.Find("[data-testid='trend-status']").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 channel(s)", page.Find("[data-testid='trend-status']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_AfterReconnect_QueriesHistoryAgain()
    {
        var page = RenderAt("trends?channels=veto.rate&range=15m");
        page.WaitForAssertion(() => Assert.Single(HistoryRequestsFor("veto.rate")));

        await LiveData.RaiseBackfillAsync(Now.AddMinutes(-1));

        page.WaitForAssertion(() => Assert.Equal(2, HistoryRequestsFor("veto.rate").Length));
    }

    [Fact]
    public async Task LiveUpdates_BucketCompletes_AppendedToChartOnTheNextTick()
    {
        var page = RenderAt("trends?channels=veto.rate&range=15m");
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='trend-status']").GetAttribute("data-state")));

        // The stub's history has 10 buckets of 90 s over the last 15 min; the live edge is now.
        await LiveData.PushUpdatesAsync(new ChannelUpdate("veto.rate", 181, Now.AddSeconds(10), Quality.Good, ChannelStatus.Ok));
        Time.Advance(TimeSpan.FromSeconds(100));

        // One append for the min–max strokes, one for the mean line.
        page.WaitForAssertion(() => Assert.Equal(2, ExtendTracesCalls()));
    }

    [Fact]
    public async Task LiveUpdates_SecondChannel_AppendsItsMeanToItsOwnTraces()
    {
        var page = RenderAt("trends?channels=beam.power,veto.rate&range=15m");
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='trend-status']").GetAttribute("data-state")));

        await LiveData.PushUpdatesAsync(
            new ChannelUpdate("veto.rate", 180, Now.AddSeconds(10), Quality.Good, ChannelStatus.Ok),
            new ChannelUpdate("veto.rate", 184, Now.AddSeconds(20), Quality.Good, ChannelStatus.Ok));
        Time.Advance(TimeSpan.FromSeconds(100));

        page.WaitForAssertion(() => Assert.Equal(2, ExtendTracesCalls()));
        var calls = JSInterop.Invocations.Where(invocation => invocation.Identifier == "extendTraces").ToList();
        Assert.Equal([2], (IEnumerable<int>)calls[0].Arguments[3]!);
        Assert.Equal([180.0, 184.0, null], ((IEnumerable<IEnumerable<object?>>)calls[0].Arguments[2]!).Single());
        Assert.Equal([3], (IEnumerable<int>)calls[1].Arguments[3]!);
        Assert.Equal([182.0], ((IEnumerable<IEnumerable<object?>>)calls[1].Arguments[2]!).Single());
    }

    [Fact]
    public async Task Dispose_Page_UnsubscribesFromLiveUpdates()
    {
        Render<TrendsPage>();

        await DisposeComponentsAsync();

        Assert.Equal(0, LiveData.UpdateSubscribers);
    }
}
