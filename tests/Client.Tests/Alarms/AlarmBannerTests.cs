using Bunit;
using Clovers.Monitor.Client.Alarms;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Alarms;
using static Clovers.Monitor.Client.Tests.Alarms.TestAlarms;

namespace Clovers.Monitor.Client.Tests.Alarms;

public sealed class AlarmBannerTests : DashboardTestContext
{
    private static string Count(IRenderedComponent<AlarmBanner> banner, string severity) =>
        banner.Find($"[data-testid='alarm-count-{severity}']").GetAttribute("data-count")!;

    [Fact]
    public void Render_NoAlarms_IsNeutral()
    {
        var banner = Render<AlarmBanner>();

        var strip = banner.Find("[data-testid='alarm-banner']");
        Assert.Equal("none", strip.GetAttribute("data-level"));
        Assert.Equal("No active alarms", banner.Find("[data-testid='alarm-top']").TextContent);
        Assert.Equal(["0", "0", "0"], new[] { "critical", "major", "warning" }.Select(s => Count(banner, s)));
    }

    [Fact]
    public void Render_UnacknowledgedCritical_IsAlarmLevel()
    {
        LiveData.SetAlarms(Alarm(HvTrip, AlarmSeverity.Critical), Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning));

        var banner = Render<AlarmBanner>();

        Assert.Equal("alarm", banner.Find("[data-testid='alarm-banner']").GetAttribute("data-level"));
    }

    [Fact]
    public void Render_OnlyWarnings_IsWarningLevel()
    {
        LiveData.SetAlarms(Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning));

        var banner = Render<AlarmBanner>();

        Assert.Equal("warning", banner.Find("[data-testid='alarm-banner']").GetAttribute("data-level"));
    }

    [Fact]
    public void Render_MixedAlarms_CountsBySeverity()
    {
        LiveData.SetAlarms(
            Alarm("c1", AlarmSeverity.Critical),
            Alarm("m1", AlarmSeverity.Major, AlarmState.ActiveAcknowledged),
            Alarm("m2", AlarmSeverity.Major),
            Alarm("w1", AlarmSeverity.Warning),
            Alarm("w2", AlarmSeverity.Warning),
            Alarm("w3", AlarmSeverity.Warning));

        var banner = Render<AlarmBanner>();

        Assert.Equal(["1", "2", "3"], new[] { "critical", "major", "warning" }.Select(s => Count(banner, s)));
    }

    [Fact]
    public void Render_SomeUnacknowledged_StandsOut()
    {
        LiveData.SetAlarms(Alarm("m1", AlarmSeverity.Major), Alarm("m2", AlarmSeverity.Major, AlarmState.ActiveAcknowledged));

        var banner = Render<AlarmBanner>();

        var strip = banner.Find("[data-testid='alarm-banner']");
        Assert.Contains("unacknowledged", strip.ClassList);
        Assert.Equal("1", strip.GetAttribute("data-unacknowledged"));
    }

    [Fact]
    public void Render_AllAcknowledged_DoesNotBlink()
    {
        LiveData.SetAlarms(Alarm("m1", AlarmSeverity.Critical, AlarmState.ActiveAcknowledged));

        var banner = Render<AlarmBanner>();

        Assert.DoesNotContain("unacknowledged", banner.Find("[data-testid='alarm-banner']").ClassList);
    }

    [Fact]
    public void Render_Alarms_TopShowsTheWorstWithValueAndSince()
    {
        LiveData.SetAlarms(
            Alarm("w1", AlarmSeverity.Warning),
            Alarm(HvTrip, AlarmSeverity.Critical, value: 0.4, since: Support.TestChannels.Now.AddMinutes(-2), name: "PMT sd1a HV tripped"));

        var banner = Render<AlarmBanner>();

        var top = banner.Find("[data-testid='alarm-top']");
        Assert.Equal(HvTrip, top.GetAttribute("data-rule-id"));
        Assert.Contains("PMT sd1a HV tripped", top.TextContent, StringComparison.Ordinal);
        Assert.Contains("0.4", top.TextContent, StringComparison.Ordinal);
        Assert.Contains("11:58:00 UTC", top.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Always_LinksToTheAlarmsPage()
    {
        var banner = Render<AlarmBanner>();

        Assert.Equal("alarms", banner.Find("[data-testid='alarm-banner'] a").GetAttribute("href"));
    }

    [Fact]
    public async Task Changed_AlarmRaised_BannerFollows()
    {
        var banner = Render<AlarmBanner>();

        LiveData.SetAlarms(Alarm(HvTrip, AlarmSeverity.Critical));
        await LiveData.RaiseChangedAsync();

        banner.WaitForAssertion(() => Assert.Equal("alarm", banner.Find("[data-testid='alarm-banner']").GetAttribute("data-level")));
    }

    [Fact]
    public async Task Changed_NewUnacknowledgedAlarmWithToneOn_Beeps()
    {
        var module = JSInterop.SetupModule(AlarmBanner.ToneModulePath);
        module.Setup<bool>("isEnabled").SetResult(true);
        var beep = module.SetupVoid("beep");
        var banner = Render<AlarmBanner>();
        banner.WaitForAssertion(() => Assert.Equal("true", banner.Find("[data-testid='alarm-tone']").GetAttribute("aria-pressed")));

        LiveData.SetAlarms(Alarm(HvTrip, AlarmSeverity.Critical));
        await LiveData.RaiseChangedAsync();
        await LiveData.RaiseChangedAsync();

        banner.WaitForAssertion(() => Assert.Single(beep.Invocations));
    }

    [Fact]
    public async Task Changed_NewUnacknowledgedAlarmWithToneOff_StaysSilent()
    {
        var module = JSInterop.SetupModule(AlarmBanner.ToneModulePath);
        module.Setup<bool>("isEnabled").SetResult(false);
        var beep = module.SetupVoid("beep");
        var banner = Render<AlarmBanner>();

        LiveData.SetAlarms(Alarm(HvTrip, AlarmSeverity.Critical));
        await LiveData.RaiseChangedAsync();

        banner.WaitForAssertion(() => Assert.Equal("alarm", banner.Find("[data-testid='alarm-banner']").GetAttribute("data-level")));
        Assert.Empty(beep.Invocations);
    }

    [Fact]
    public void ToneToggle_Clicked_PersistsTheChoice()
    {
        var module = JSInterop.SetupModule(AlarmBanner.ToneModulePath);
        module.Setup<bool>("isEnabled").SetResult(false);
        var save = module.SetupVoid("setEnabled", _ => true);
        var banner = Render<AlarmBanner>();

        banner.Find("[data-testid='alarm-tone']").Click();

        banner.WaitForAssertion(() => Assert.Equal(true, Assert.Single(save.Invocations).Arguments[0]));
        Assert.Equal("true", banner.Find("[data-testid='alarm-tone']").GetAttribute("aria-pressed"));
    }
}
