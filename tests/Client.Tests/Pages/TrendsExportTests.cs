using Bunit;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;
using TrendsPage = Clovers.Monitor.Client.Pages.Trends;

namespace Clovers.Monitor.Client.Tests.Pages;

public sealed class TrendsExportTests : DashboardTestContext
{
    public TrendsExportTests()
    {
        LiveData.SetChannels(Platform());
    }

    private static string CsvHref(string[] channels, TimeSpan range) =>
        ApiPaths.Relative(ApiRoutes.HistoryCsv(channels, Now - range, Now, null));

    private IRenderedComponent<TrendsPage> RenderAt(string relativeUri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(relativeUri);
        return Render<TrendsPage>();
    }

    [Fact]
    public void Render_NothingPicked_DownloadIsDisabledWithoutAddress()
    {
        var page = Render<TrendsPage>();

        var link = page.Find("[data-testid='download-csv']");
        Assert.False(link.HasAttribute("href"));
        Assert.Equal("true", link.GetAttribute("aria-disabled"));
    }

    [Fact]
    public void Render_DeepLinkedChannels_DownloadPointsAtTheirCsvOverTheShownRange()
    {
        var page = RenderAt("trends?channels=cryo.ln2.level,beam.power&range=6h");

        var link = page.Find("[data-testid='download-csv']");
        Assert.Equal(CsvHref(["cryo.ln2.level", "beam.power"], TimeSpan.FromHours(6)), link.GetAttribute("href"));
        Assert.True(link.HasAttribute("download"));
        Assert.False(link.HasAttribute("aria-disabled"));
    }

    [Fact]
    public void Change_ChannelPicked_EnablesDownloadOfThatChannel()
    {
        var page = Render<TrendsPage>();

        page.Find("[data-testid='channel-picker']").Change(new[] { "veto.rate" });

        page.WaitForAssertion(() =>
            Assert.Equal(CsvHref(["veto.rate"], TimeSpan.FromHours(1)), page.Find("[data-testid='download-csv']").GetAttribute("href")));
    }

    [Fact]
    public void Change_AllChannelsUnpicked_DisablesDownloadAgain()
    {
        var page = RenderAt("trends?channels=veto.rate");

        page.Find("[data-testid='channel-picker']").Change(Array.Empty<string>());

        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid='download-csv']").HasAttribute("href")));
    }

    [Fact]
    public void Click_Range_DownloadFollowsTheNewRange()
    {
        var page = RenderAt("trends?channels=veto.rate");

        page.Find("[data-testid='range-7d']").Click();

        page.WaitForAssertion(() =>
            Assert.Equal(CsvHref(["veto.rate"], TimeSpan.FromDays(7)), page.Find("[data-testid='download-csv']").GetAttribute("href")));
    }

    [Fact]
    public void MouseDown_AfterTimePassed_DownloadRangeEndsAtTheNewNow()
    {
        var page = RenderAt("trends?channels=veto.rate");
        Time.Advance(TimeSpan.FromMinutes(30));
        var before = page.Find("[data-testid='download-csv']").GetAttribute("href");

        page.Find("[data-testid='download-csv']").MouseDown();

        var later = Now.AddMinutes(30);
        Assert.Equal(CsvHref(["veto.rate"], TimeSpan.FromHours(1)), before);
        page.WaitForAssertion(() => Assert.Equal(
            ApiPaths.Relative(ApiRoutes.HistoryCsv(["veto.rate"], later.AddHours(-1), later, null)),
            page.Find("[data-testid='download-csv']").GetAttribute("href")));
    }

    [Fact]
    public void Render_LinkedChannelUnknownToTheServer_IsLeftOutOfTheDownload()
    {
        var page = RenderAt("trends?channels=no.such,veto.rate");

        Assert.Equal(CsvHref(["veto.rate"], TimeSpan.FromHours(1)), page.Find("[data-testid='download-csv']").GetAttribute("href"));
    }
}
