using Clovers.Monitor.Simulation.Platform;
using Clovers.Monitor.Simulation.Tests.Support;

namespace Clovers.Monitor.Simulation.Tests.Platform;

public sealed class PlatformFaultsTests
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_tenSeconds = TimeSpan.FromSeconds(10);

    [Fact]
    public void Set_UnknownName_ThrowsListingKnownFaults()
    {
        var faults = new PlatformFaults();

        var ex = Assert.Throws<ArgumentException>(() => faults.Set("dewar-explodes"));

        Assert.Contains("dewar-explodes", ex.Message, StringComparison.Ordinal);
        Assert.All(FaultNames.Platform, name => Assert.Contains(name, ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Clear_UnknownName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PlatformFaults().Clear("nope"));
    }

    [Fact]
    public void SetAndClear_KnownNames_ActiveListsTheSetOnes()
    {
        var faults = new PlatformFaults();

        faults.Set(FaultNames.PmtNoisy);
        faults.Set(FaultNames.BeamTrip);
        faults.Set(FaultNames.PmtNoisy);
        faults.Clear(FaultNames.BeamTrip);

        Assert.Equal([FaultNames.PmtNoisy], faults.Active);
    }

    [Fact]
    public async Task DewarWarmup_OverAnHour_TemperaturesRiseAboutThreeKelvin()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.DewarWarmup);

        var series = await run.CollectAsync(TimeSpan.FromHours(1), s_tenSeconds, "cryo.temp.sd1", "cryo.temp.dewar_bottom", "pmt.sd1a.hv.read");

        Assert.InRange(series["cryo.temp.sd1"][^1].Value - series["cryo.temp.sd1"][0].Value, 2.6, 3.6);
        Assert.True(series["cryo.temp.dewar_bottom"][^1].Value > 78.5, "above the warning edge after an hour");
        Assert.All(series["pmt.sd1a.hv.read"], r => Assert.InRange(r.Value, 1499, 1501));
    }

    [Fact]
    public async Task DewarWarmup_Cleared_TemperaturesReturnToNominal()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.DewarWarmup);
        await run.RunAsync(TimeSpan.FromMinutes(30), s_tenSeconds, _ => { });
        run.Platform.Faults.Clear(FaultNames.DewarWarmup);

        var values = await run.ValuesAsync("cryo.temp.sd2", TimeSpan.FromHours(2), s_tenSeconds);

        Assert.InRange(values[^1], 77.0, 77.8);
    }

    [Fact]
    public async Task Ln2Leak_OverAnHour_LevelFallsAboutTwentyPercentWithoutRefill()
    {
        var run = new PlatformRun(o => o.Ln2InitialLevelPercent = 70);
        run.Platform.Faults.Set(FaultNames.Ln2Leak);

        var values = await run.ValuesAsync(SimulatedChannels.Ln2Level, TimeSpan.FromHours(1), s_tenSeconds);

        Assert.InRange(values[0] - values[^1], 20, 23);
        Assert.True(values[^1] < 50, "fell through the refill level: the autofill did not hold it");
    }

    [Fact]
    public async Task HvTrip_Set_SubDetectorOnePmtsLoseVoltageCurrentAndDarkCounts()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.HvTrip);

        var series = await run.CollectAsync(TimeSpan.FromSeconds(20), s_second,
            "pmt.sd1a.hv.read", "pmt.sd1b.hv.read", "pmt.sd1a.current", "pmt.sd1b.darkrate", "pmt.sd2a.hv.read", "pmt.sd1a.hv.set");

        Assert.All(series["pmt.sd1a.hv.read"], r => Assert.Equal(0, r.Value));
        Assert.All(series["pmt.sd1b.hv.read"], r => Assert.Equal(0, r.Value));
        Assert.All(series["pmt.sd1a.current"], r => Assert.Equal(0, r.Value));
        Assert.All(series["pmt.sd1b.darkrate"], r => Assert.Equal(0, r.Value));
        Assert.All(series["pmt.sd2a.hv.read"], r => Assert.InRange(r.Value, 1499, 1501));
        Assert.All(series["pmt.sd1a.hv.set"], r => Assert.Equal(1500, r.Value));
    }

    [Fact]
    public async Task HvTrip_Cleared_VoltageRampsBackToSetpointWithinAMinute()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.HvTrip);
        await run.RunAsync(TimeSpan.FromSeconds(5), s_second, _ => { });
        run.Platform.Faults.Clear(FaultNames.HvTrip);

        var values = await run.ValuesAsync("pmt.sd1b.hv.read", TimeSpan.FromSeconds(60), s_second);

        Assert.InRange(values[10], 1, 1499);
        Assert.InRange(values[^1], 1499, 1501);
    }

    [Fact]
    public async Task PmtNoisy_Set_OnlySd2aCountsAboutSixTimesItsRate()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.PmtNoisy);
        var sd2aMean = run.Platform.DarkRateMeans["sd2a"];

        var series = await run.CollectAsync(TimeSpan.FromMinutes(10), s_tenSeconds, "pmt.sd2a.darkrate", "pmt.sd2b.darkrate");

        Assert.InRange(series["pmt.sd2a.darkrate"].Average(r => r.Value) / sd2aMean, 5.8, 6.2);
        Assert.InRange(series["pmt.sd2b.darkrate"].Average(r => r.Value), 100, 125);
    }

    [Fact]
    public async Task BeamTrip_Set_BeamAndTriggerDropToZero()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.BeamTrip);

        var series = await run.CollectAsync(TimeSpan.FromMinutes(10), s_tenSeconds, SimulatedChannels.BeamPower, SimulatedChannels.TriggerRate);

        Assert.All(series[SimulatedChannels.BeamPower], r => Assert.Equal(0, r.Value));
        Assert.All(series[SimulatedChannels.TriggerRate], r => Assert.Equal(0, r.Value));
    }

    [Fact]
    public async Task BeamTrip_Cleared_BeamRampsBackToNominal()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.BeamTrip);
        await run.RunAsync(TimeSpan.FromMinutes(1), s_tenSeconds, _ => { });
        run.Platform.Faults.Clear(FaultNames.BeamTrip);

        var values = await run.ValuesAsync(SimulatedChannels.BeamPower, TimeSpan.FromMinutes(6), s_tenSeconds);

        Assert.InRange(values[15], 50, 90);
        Assert.InRange(values[^1], 139, 141);
    }

    [Fact]
    public async Task FlappingSensor_Set_DewarTopTogglesAcrossWarningEdge()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.FlappingSensor);

        var values = await run.ValuesAsync(SimulatedChannels.DewarTopTemperature, TimeSpan.FromSeconds(12), s_second);

        Assert.Contains(values, v => v > 78.5);
        Assert.Contains(values, v => v < 78.5);
        Assert.True(values.Zip(values.Skip(1)).Count(p => (p.First > 78.5) != (p.Second > 78.5)) >= 3, "toggles every few seconds");
    }

    [Fact]
    public async Task FlappingSensor_Set_LeavesOtherTemperaturesAlone()
    {
        var run = new PlatformRun();
        run.Platform.Faults.Set(FaultNames.FlappingSensor);

        var values = await run.ValuesAsync(SimulatedChannels.DewarBottomTemperature, TimeSpan.FromSeconds(12), s_second);

        Assert.All(values, v => Assert.InRange(v, 77.0, 77.8));
    }
}
