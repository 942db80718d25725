using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Platform;
using Clovers.Monitor.Simulation.Tests.Support;

namespace Clovers.Monitor.Simulation.Tests.Platform;

public sealed class SimulatedPlatformTests
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_tenSeconds = TimeSpan.FromSeconds(10);

    [Fact]
    public void Channels_Always_AtLeastFortyWithValidUniqueIds()
    {
        var channels = new PlatformRun().Platform.Channels;

        Assert.True(channels.Count >= 40, $"only {channels.Count} channels");
        Assert.All(channels, c => Assert.True(ProtocolRules.IsValidChannelId(c.Id), $"invalid id {c.Id}"));
        Assert.Equal(channels.Count, channels.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Channels_Always_DescribeUnitPeriodAndBands()
    {
        var channels = new PlatformRun().Platform.Channels;

        Assert.All(channels, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Unit), c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.Description), c.Id);
            Assert.True(c.PeriodSeconds > 0, c.Id);
            Assert.NotNull(c.Nominal);
        });
        Assert.Contains(channels, c => c.Id == "pmt.sd4b.darkrate" && c.Alarm == new Band(1, 555) && c.PeriodSeconds == 10);
        Assert.Contains(channels, c => c.Id == "agent.platform-1.uptime" && c.Group == ChannelGroup.Agent);
    }

    [Fact]
    public async Task ReadAsync_FirstRead_ReturnsEveryChannelOnceWithFiniteValues()
    {
        var run = new PlatformRun();

        var readings = await run.Platform.ReadAsync(CancellationToken.None);

        Assert.Equal(run.Platform.Channels.Select(c => c.Id), readings.Select(r => r.Channel));
        Assert.All(readings, r => Assert.True(double.IsFinite(r.Value), r.Channel));
        Assert.All(readings, r => Assert.Equal(PlatformRun.Start, r.Timestamp));
    }

    [Fact]
    public async Task ReadAsync_EverySecond_ReportsDarkRateOncePerTenSecondWindow()
    {
        var run = new PlatformRun();

        var series = await run.CollectAsync(TimeSpan.FromSeconds(29), s_second, "pmt.sd1a.darkrate", "cryo.temp.sd1");

        Assert.Equal(3, series["pmt.sd1a.darkrate"].Count);
        Assert.Equal(30, series["cryo.temp.sd1"].Count);
    }

    [Fact]
    public async Task ReadAsync_OverSimulatedDayWithoutFaults_CryogenicsAndHighVoltageStayNominal()
    {
        var run = new PlatformRun();
        var bands = run.Platform.Channels
            .Where(c => c.Group == ChannelGroup.Cryogenics || c.Id.EndsWith(".hv.read", StringComparison.Ordinal))
            .ToDictionary(c => c.Id, c => c.Nominal);
        var outside = new List<Reading>();

        await run.RunAsync(TimeSpan.FromHours(24), s_tenSeconds, readings =>
            outside.AddRange(readings.Where(r => bands.TryGetValue(r.Channel, out var band) && !band.Contains(r.Value))));

        Assert.Empty(outside.Take(5));
    }

    [Fact]
    public async Task ReadAsync_CrystalTemperatures_AverageNearLiquidNitrogenWithSmallNoise()
    {
        var run = new PlatformRun();

        var values = await run.ValuesAsync("cryo.temp.sd3", TimeSpan.FromHours(2), s_tenSeconds);

        Assert.InRange(values.Average(), 77.15, 77.45);
        var steps = values.Zip(values.Skip(1), (a, b) => Math.Abs(b - a)).ToList();
        Assert.True(steps.Max() < 0.1, $"largest 10 s step {steps.Max():0.000} K");
    }

    [Fact]
    public async Task ReadAsync_AboveRefillLevel_Ln2FallsAboutOneAndAHalfPercentPerHour()
    {
        var run = new PlatformRun(o => o.Ln2InitialLevelPercent = 90);

        var values = await run.ValuesAsync(SimulatedChannels.Ln2Level, TimeSpan.FromHours(10), s_tenSeconds);

        var perHour = (values[0] - values[^1]) / 10;
        Assert.InRange(perHour, 1.4, 1.6);
    }

    [Fact]
    public async Task ReadAsync_LevelReachesRefillStart_AutofillRefillsToAboutNinetyThreeInAboutTwentyMinutes()
    {
        var run = new PlatformRun(o => o.Ln2InitialLevelPercent = 63);

        var level = (await run.CollectAsync(TimeSpan.FromHours(3), s_tenSeconds, SimulatedChannels.Ln2Level))[SimulatedChannels.Ln2Level];

        var lowest = level.MinBy(r => r.Value)!;
        var full = level.First(r => r.Timestamp > lowest.Timestamp && r.Value >= 92.5);
        Assert.InRange(lowest.Value, 61.5, 62.2);
        Assert.InRange((full.Timestamp - lowest.Timestamp).TotalMinutes, 17, 23);
        Assert.InRange(level.Max(r => r.Value), 92.5, 94);
        Assert.True(level[^1].Value < level.Max(r => r.Value) - 1, "boil-off resumes after the refill");
    }

    [Fact]
    public async Task ReadAsync_DuringRefill_DewarPressureRisesSlightly()
    {
        var run = new PlatformRun(o => o.Ln2InitialLevelPercent = 62.1);
        var series = await run.CollectAsync(TimeSpan.FromMinutes(40), s_tenSeconds, SimulatedChannels.DewarPressure);
        var pressure = series[SimulatedChannels.DewarPressure].Select(r => r.Value).ToList();

        var before = pressure.Take(6).Average();
        var duringRefill = pressure.Skip(60).Take(30).Average();

        Assert.InRange(duringRefill - before, 0.8, 3);
        Assert.All(pressure, p => Assert.InRange(p, 100, 106));
    }

    [Fact]
    public async Task ReadAsync_ManyWindows_DarkRateAveragesAbout111HertzWithEachTubeBetween100And120()
    {
        var run = new PlatformRun();
        var pmts = SimulatedChannels.Pmts.Select(SimulatedChannels.PmtDarkRate).ToArray();

        var series = await run.CollectAsync(TimeSpan.FromHours(1), s_tenSeconds, pmts);

        var all = series.Values.SelectMany(s => s).Select(r => r.Value).ToList();
        Assert.True(all.Count >= 8 * 360, $"{all.Count} windows");
        Assert.InRange(all.Average(), 110, 112);
        Assert.All(series, s => Assert.InRange(s.Value.Average(r => r.Value), 100, 120));
        Assert.True(series.Values.Select(s => Math.Round(s.Average(r => r.Value))).Distinct().Count() > 4, "each tube has its own mean");
    }

    [Fact]
    public async Task ReadAsync_VetoCountedOverOneSecond_AveragesCosmicRate()
    {
        var run = new PlatformRun();

        var values = await run.ValuesAsync(SimulatedChannels.VetoRate, TimeSpan.FromMinutes(30), s_second);

        Assert.InRange(values.Average(), 247, 253);
        Assert.All(values, v => Assert.Equal(Math.Round(v), v));
    }

    [Fact]
    public async Task ReadAsync_PmtHighVoltage_ReadsSetpointWithSubVoltNoiseAndProportionalCurrent()
    {
        var run = new PlatformRun();

        var series = await run.CollectAsync(TimeSpan.FromMinutes(10), s_second, "pmt.sd3b.hv.set", "pmt.sd3b.hv.read", "pmt.sd3b.current");

        Assert.All(series["pmt.sd3b.hv.set"], r => Assert.Equal(1500, r.Value));
        Assert.All(series["pmt.sd3b.hv.read"], r => Assert.InRange(r.Value, 1499.4, 1500.6));
        Assert.InRange(series["pmt.sd3b.current"].Average(r => r.Value), 99.9, 100.1);
    }

    [Fact]
    public async Task ReadAsync_FrequentTrips_BeamDropsToZeroForMinutesThenRampsBackOverAboutFiveMinutes()
    {
        var run = new PlatformRun(o => o.BeamTripsPerHour = 3);
        var power = (await run.CollectAsync(TimeSpan.FromHours(8), TimeSpan.FromSeconds(5), SimulatedChannels.BeamPower))[SimulatedChannels.BeamPower];

        var recoveries = 0;
        for (var i = 1; i < power.Count; i++)
        {
            if (power[i - 1].Value == 0 && power[i].Value > 0)
            {
                var tripStart = power.Take(i).Last(r => r.Value > 0 && r.Timestamp < power[i - 1].Timestamp);
                var backAt = power.Skip(i).FirstOrDefault(r => r.Value >= 126);
                if (backAt is null)
                {
                    continue;
                }

                Assert.InRange((power[i].Timestamp - tripStart.Timestamp).TotalMinutes, 1.9, 5.2);
                Assert.InRange((backAt.Timestamp - power[i - 1].Timestamp).TotalMinutes, 4, 5.2);
                recoveries++;
            }
        }

        Assert.True(run.Platform.BeamTrips >= 5, $"{run.Platform.BeamTrips} trips in 8 h at 3/h");
        Assert.True(recoveries >= 5, $"{recoveries} recoveries");
    }

    [Fact]
    public async Task ReadAsync_BeamOnOrOff_TriggerRateFollowsBeam()
    {
        var run = new PlatformRun(o => o.BeamTripsPerHour = 3);
        var pairs = new List<(double Power, double Trigger)>();

        await run.RunAsync(TimeSpan.FromHours(4), TimeSpan.FromSeconds(5), readings =>
        {
            var byId = readings.ToDictionary(r => r.Channel, r => r.Value);
            pairs.Add((byId[SimulatedChannels.BeamPower], byId[SimulatedChannels.TriggerRate]));
        });

        Assert.Contains(pairs, p => p.Power == 0);
        Assert.All(pairs, p => Assert.Equal(p.Power > 0 ? 25 : 0, p.Trigger));
    }

    [Fact]
    public async Task ReadAsync_NoTrips_BeamJittersWithinOneKilowattOfNominal()
    {
        var run = new PlatformRun();

        var values = await run.ValuesAsync(SimulatedChannels.BeamPower, TimeSpan.FromHours(1), s_second);

        Assert.All(values, v => Assert.InRange(v, 139, 141));
    }

    [Fact]
    public async Task ReadAsync_Clock_UptimeCountsSecondsSinceStart()
    {
        var run = new PlatformRun(o => o.AgentId = "edge-7");

        var values = await run.ValuesAsync("agent.edge-7.uptime", TimeSpan.FromSeconds(90), s_tenSeconds);

        Assert.Equal(0, values[0]);
        Assert.Equal(90, values[^1]);
    }

    [Fact]
    public async Task ReadAsync_SameSeedSameClock_SameReadings()
    {
        var first = await new PlatformRun(o => o.Seed = 7).ValuesAsync("cryo.temp.sd2", TimeSpan.FromMinutes(10), s_second);
        var second = await new PlatformRun(o => o.Seed = 7).ValuesAsync("cryo.temp.sd2", TimeSpan.FromMinutes(10), s_second);
        var other = await new PlatformRun(o => o.Seed = 8).ValuesAsync("cryo.temp.sd2", TimeSpan.FromMinutes(10), s_second);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Constructor_InvalidAgentId_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PlatformRun(o => o.AgentId = "Platform 1"));

        Assert.Contains("Platform 1", ex.Message, StringComparison.Ordinal);
    }
}
