using Bunit;
using Clovers.Monitor.Client.Layout;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Support;

namespace Clovers.Monitor.Client.Tests.Layout;

public sealed class MainLayoutTests : DashboardTestContext
{
    [Fact]
    public void Render_Simulated_ShowsSimulationBadge()
    {
        LiveData.Simulation = true;

        var layout = Render<MainLayout>();

        Assert.Equal("SIMULATION", layout.Find("[data-testid='simulation-badge']").TextContent);
    }

    [Fact]
    public void Render_NotSimulated_HasNoSimulationBadge()
    {
        var layout = Render<MainLayout>();

        Assert.Empty(layout.FindAll("[data-testid='simulation-badge']"));
    }

    [Theory]
    [InlineData(LiveConnectionState.Connecting, "connecting")]
    [InlineData(LiveConnectionState.Connected, "connected")]
    [InlineData(LiveConnectionState.Reconnecting, "reconnecting")]
    [InlineData(LiveConnectionState.Disconnected, "disconnected")]
    public void Render_ConnectionState_PillCarriesIt(LiveConnectionState state, string expected)
    {
        LiveData.ConnectionState = state;

        var layout = Render<MainLayout>();

        Assert.Equal(expected, layout.Find("[data-testid='connection-state']").GetAttribute("data-state"));
    }

    [Fact]
    public async Task Changed_ConnectionLost_PillFollows()
    {
        var layout = Render<MainLayout>();

        LiveData.ConnectionState = LiveConnectionState.Reconnecting;
        await LiveData.RaiseChangedAsync();

        layout.WaitForAssertion(() =>
            Assert.Equal("reconnecting", layout.Find("[data-testid='connection-state']").GetAttribute("data-state")));
    }

    [Fact]
    public void Render_Interactive_ShowsReadyMarker()
    {
        var layout = Render<MainLayout>();

        Assert.Single(layout.FindAll("[data-testid='app-ready']"));
    }

    [Fact]
    public void Render_NotInteractive_HasNoReadyMarker()
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));

        var layout = Render<MainLayout>();

        Assert.Empty(layout.FindAll("[data-testid='app-ready']"));
    }

    [Fact]
    public void Render_FirstTime_StartsLiveDataOnce()
    {
        var layout = Render<MainLayout>();
        layout.Render();

        Assert.Equal(1, LiveData.StartCalls);
    }

    [Fact]
    public void Render_Header_NamesTheAppAndLinksEveryPage()
    {
        var layout = Render<MainLayout>();

        Assert.Equal("CLOVERS Monitor", layout.Find(".brand").TextContent);
        Assert.Equal(["", "trends", "pmts", "spectra", "exposure", "alarms", "alarms/rules", "logbook", "handover", "diagnostics"], layout.FindAll("nav a").Select(a => a.GetAttribute("href")));
    }
}
