using Bunit;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;
using OverviewPage = Clovers.Monitor.Client.Pages.Overview;

namespace Clovers.Monitor.Client.Tests.Pages;

public sealed class OverviewTests : DashboardTestContext
{
    private static string StatusOf(IRenderedComponent<OverviewPage> page, string testId) =>
        page.Find($"[data-testid='{testId}']").GetAttribute("data-status")!;

    private void UsePlatformWith(params ChannelState[] replacements)
    {
        var ids = replacements.Select(r => r.Id).ToHashSet();
        LiveData.SetChannels([.. Platform().Where(c => !ids.Contains(c.Id)), .. replacements]);
        LiveData.SetAgents(Agent("platform"));
    }

    [Fact]
    public void Render_NominalPlatform_AllFiveTilesOk()
    {
        UsePlatformWith();

        var page = Render<OverviewPage>();

        foreach (var tile in new[] { "tile-cryogenics", "tile-pmt", "tile-beam", "tile-veto", "tile-agents" })
        {
            Assert.Equal("ok", StatusOf(page, tile));
        }
    }

    [Theory]
    [InlineData(ChannelStatus.Ok, "ok")]
    [InlineData(ChannelStatus.Warn, "warn")]
    [InlineData(ChannelStatus.Alarm, "alarm")]
    [InlineData(ChannelStatus.Stale, "stale")]
    public void Render_CryogenicsChannelStatus_ColoursTheCryogenicsTile(ChannelStatus status, string expected)
    {
        UsePlatformWith(Channel("cryo.ln2.level", ChannelGroup.Cryogenics, 30, status, "%"));

        var page = Render<OverviewPage>();

        var tile = page.Find("[data-testid='tile-cryogenics']");
        Assert.Equal(expected, tile.GetAttribute("data-status"));
        Assert.Contains($"status-{expected}", tile.ClassList);
    }

    [Fact]
    public void Render_PmtAlarm_OnlyPmtTileTurnsAlarm()
    {
        UsePlatformWith(Channel("pmt.sd1a.hv.read", ChannelGroup.Pmt, 0, ChannelStatus.Alarm, "V"));

        var page = Render<OverviewPage>();

        Assert.Equal("alarm", StatusOf(page, "tile-pmt"));
        Assert.Equal("ok", StatusOf(page, "tile-beam"));
    }

    [Fact]
    public void Render_Platform_ShowsKeyValuesWithUnits()
    {
        UsePlatformWith();

        var page = Render<OverviewPage>();

        Assert.Equal("72.50 %", page.Find("[data-testid='value-cryo.ln2.level']").TextContent);
        Assert.Equal("77.42 K", page.Find("[data-testid='value-warmest-crystal']").TextContent);
        Assert.Equal("140.0 kW", page.Find("[data-testid='value-beam.power']").TextContent);
        Assert.Equal("1.50 V", page.Find("[data-testid='value-hv-deviation']").TextContent);
        Assert.Equal("104.0–121.0 Hz", page.Find("[data-testid='value-darkrate-range']").TextContent);
        Assert.Equal("180.0 Hz", page.Find("[data-testid='value-veto.rate']").TextContent);
    }

    [Fact]
    public void Render_AgentOffline_AgentsTileIsAlarm()
    {
        UsePlatformWith();
        LiveData.SetAgents(Agent("platform"), Agent("daq", AgentState.Offline));

        var page = Render<OverviewPage>();

        Assert.Equal("alarm", StatusOf(page, "tile-agents"));
    }

    [Fact]
    public void Render_Platform_TableListsEveryChannelWithItsStatus()
    {
        UsePlatformWith(Channel("veto.rate", ChannelGroup.Veto, 0, ChannelStatus.Warn, "Hz"));

        var page = Render<OverviewPage>();

        Assert.Equal(Platform().Length, page.FindAll("[data-testid^='row-']").Count);
        Assert.Equal("warn", StatusOf(page, "row-veto.rate"));
    }

    [Fact]
    public void Render_ReadingTwoMinutesOld_TableShowsItsAge()
    {
        LiveData.SetChannels(Channel("beam.power", ChannelGroup.Beam, 140, unit: "kW", timestamp: Now.AddMinutes(-2)));

        var page = Render<OverviewPage>();

        Assert.Contains(page.FindAll("[data-testid='row-beam.power'] td"), cell => cell.TextContent == "2 min");
    }

    [Fact]
    public void Clock_MinutePassesWithoutData_AgeGrows()
    {
        LiveData.SetChannels(Channel("beam.power", ChannelGroup.Beam, 140, unit: "kW", timestamp: Now));
        var page = Render<OverviewPage>();

        Time.Advance(TimeSpan.FromSeconds(61));

        page.WaitForAssertion(() =>
            Assert.Contains(page.FindAll("[data-testid='row-beam.power'] td"), cell => cell.TextContent == "1 min"));
    }

    [Fact]
    public async Task Changed_NewStatusPushed_TileRerenders()
    {
        UsePlatformWith();
        var page = Render<OverviewPage>();

        UsePlatformWith(Channel("beam.power", ChannelGroup.Beam, 140, ChannelStatus.Stale, "kW"));
        await LiveData.RaiseChangedAsync();

        page.WaitForAssertion(() => Assert.Equal("stale", StatusOf(page, "tile-beam")));
    }

    [Fact]
    public async Task Dispose_Page_UnsubscribesFromLiveData()
    {
        var page = Render<OverviewPage>();
        Assert.Equal(1, LiveData.ChangedSubscribers);

        await DisposeComponentsAsync();

        Assert.Equal(0, LiveData.ChangedSubscribers);
    }
}
