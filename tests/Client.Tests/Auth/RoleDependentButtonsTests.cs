using Bunit;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Alarms;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using AlarmsPage = Clovers.Monitor.Client.Pages.Alarms;

namespace Clovers.Monitor.Client.Tests.Auth;

/// <summary>Buttons a user may not use are disabled, and the user menu shows what the role allows.</summary>
public sealed class RoleDependentButtonsTests : BunitContext
{
    private readonly FakeLiveData _liveData = new();
    private readonly HttpClient _http = new(new AlarmApiStub()) { BaseAddress = new Uri("http://localhost/") };
    private readonly UserSession _session;

    public RoleDependentButtonsTests()
    {
        Services.AddSingleton<ILiveData>(_liveData);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestChannels.Now));
        Services.AddSingleton(_http);
        _session = TestSessions.As(_http, role: null);
        Services.AddSingleton(_session);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    private UserSession LogIn(string? role)
    {
        _session.SetAsync(TestSessions.User(role)).GetAwaiter().GetResult();
        return _session;
    }

    [Fact]
    public void Acknowledge_Anonymous_IsDisabled()
    {
        LogIn(role: null);
        _liveData.SetAlarms(TestAlarms.Alarm(TestAlarms.HvTrip, AlarmSeverity.Critical));

        var page = Render<AlarmsPage>();

        Assert.True(page.Find($"[data-testid='ack-{TestAlarms.HvTrip}']").HasAttribute("disabled"));
    }

    [Fact]
    public void Acknowledge_Viewer_IsDisabled()
    {
        LogIn(MonitorRoles.Viewer);
        _liveData.SetAlarms(TestAlarms.Alarm(TestAlarms.HvTrip, AlarmSeverity.Critical));

        var page = Render<AlarmsPage>();

        Assert.True(page.Find($"[data-testid='ack-{TestAlarms.HvTrip}']").HasAttribute("disabled"));
    }

    [Fact]
    public void Acknowledge_Shifter_IsEnabled()
    {
        LogIn(MonitorRoles.Shifter);
        _liveData.SetAlarms(TestAlarms.Alarm(TestAlarms.HvTrip, AlarmSeverity.Critical));

        var page = Render<AlarmsPage>();

        Assert.False(page.Find($"[data-testid='ack-{TestAlarms.HvTrip}']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Acknowledge_UserLogsInWhileOnThePage_BecomesEnabled()
    {
        var session = LogIn(role: null);
        _liveData.SetAlarms(TestAlarms.Alarm(TestAlarms.HvTrip, AlarmSeverity.Critical));
        var page = Render<AlarmsPage>();

        await page.InvokeAsync(() => session.SetAsync(new CurrentUser("ada", [MonitorRoles.Shifter], AnonymousRead: true)));

        page.WaitForAssertion(() => Assert.False(page.Find($"[data-testid='ack-{TestAlarms.HvTrip}']").HasAttribute("disabled")));
    }

    [Fact]
    public void UserMenu_Shifter_ShowsNameAndLogoutButNoAdminLinks()
    {
        LogIn(MonitorRoles.Shifter);

        var menu = Render<UserMenu>();

        Assert.Equal(TestSessions.UserName(MonitorRoles.Shifter), menu.Find("[data-testid='user-name']").TextContent);
        Assert.NotNull(menu.Find("[data-testid='logout']"));
        Assert.Empty(menu.FindAll("[data-testid='nav-users']"));
        Assert.Empty(menu.FindAll("[data-testid='nav-audit']"));
    }

    [Fact]
    public void UserMenu_Admin_LinksUsersAndAudit()
    {
        LogIn(MonitorRoles.Admin);

        var menu = Render<UserMenu>();

        Assert.NotNull(menu.Find("[data-testid='nav-users']"));
        Assert.NotNull(menu.Find("[data-testid='nav-audit']"));
    }

    [Fact]
    public void UserMenu_Anonymous_OffersLogin()
    {
        LogIn(role: null);

        var menu = Render<UserMenu>();

        Assert.NotNull(menu.Find("[data-testid='login-link']"));
        Assert.Empty(menu.FindAll("[data-testid='logout']"));
    }

    [Fact]
    public async Task UserMenu_AnonymousReadOff_SendsToTheLoginPage()
    {
        await _session.SetAsync(new CurrentUser(null, [], AnonymousRead: false));
        Services.GetRequiredService<NavigationManager>().NavigateTo("alarms");

        Render<UserMenu>();

        Assert.EndsWith("login?returnUrl=%2Falarms", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }
}
