using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms;

public sealed class RuleKindTests
{
    private const string Temp = "cryo.temp.sd1";
    private const string Read = "pmt.sd1a.hv.read";
    private const string Set = "pmt.sd1a.hv.set";
    private const string Rate = "pmt.sd1a.darkrate";
    private const string Beam = "beam.power";

    private static LimitRule HighTemp(TimeSpan? onDelay = null, TimeSpan? offDelay = null, double deadband = 0) =>
        new("cryo.temp.sd1.high", "Crystal 1 hot", AlarmSeverity.Major, Temp)
        {
            High = 80,
            Deadband = deadband,
            OnDelay = onDelay ?? TimeSpan.Zero,
            OffDelay = offDelay ?? TimeSpan.Zero,
        };

    [Fact]
    public void Limit_AboveHigh_RaisesAlarm()
    {
        var h = new EngineHarness(HighTemp());

        h.Feed(Temp, 80.5);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("cryo.temp.sd1.high"));
    }

    [Fact]
    public void Limit_BelowLow_RaisesAlarm()
    {
        var h = new EngineHarness(new LimitRule("cryo.ln2.level.low", "LN2 low", AlarmSeverity.Warning, "cryo.ln2.level") { Low = 40 });

        h.Feed("cryo.ln2.level", 39);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("cryo.ln2.level.low"));
    }

    [Fact]
    public void Limit_InsideDeadband_StaysActive()
    {
        var h = new EngineHarness(HighTemp(deadband: 0.5));
        h.Feed(Temp, 80.5);

        h.Feed(Temp, 79.6);

        Assert.True(h.Engine.Find("cryo.temp.sd1.high")!.ConditionActive);
    }

    [Fact]
    public void Limit_BelowDeadband_Returns()
    {
        var h = new EngineHarness(HighTemp(deadband: 0.5));
        h.Feed(Temp, 80.5);

        h.Feed(Temp, 79.4);

        Assert.Equal(AlarmState.ReturnedUnacknowledged, h.StateOf("cryo.temp.sd1.high"));
    }

    [Fact]
    public void Limit_ShorterThanOnDelay_StaysNormal()
    {
        var h = new EngineHarness(HighTemp(onDelay: TimeSpan.FromSeconds(30)));

        h.Hold(Temp, 81, TimeSpan.FromSeconds(29));
        h.Hold(Temp, 79, TimeSpan.FromSeconds(5));

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void Limit_LongerThanOnDelay_Activates()
    {
        var h = new EngineHarness(HighTemp(onDelay: TimeSpan.FromSeconds(30)));

        h.Hold(Temp, 81, TimeSpan.FromSeconds(31));

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("cryo.temp.sd1.high"));
    }

    [Fact]
    public void Limit_OnDelayElapsesWithoutReadings_TickActivates()
    {
        var h = new EngineHarness(HighTemp(onDelay: TimeSpan.FromSeconds(30)));
        h.Feed(Temp, 81);

        h.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("cryo.temp.sd1.high"));
    }

    [Fact]
    public void Limit_BriefDipDuringOffDelay_StaysActive()
    {
        var h = new EngineHarness(HighTemp(offDelay: TimeSpan.FromSeconds(60)));
        h.Feed(Temp, 81);

        h.Hold(Temp, 79, TimeSpan.FromSeconds(30));
        h.Hold(Temp, 81, TimeSpan.FromSeconds(5));
        h.Hold(Temp, 79, TimeSpan.FromSeconds(50));

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("cryo.temp.sd1.high"));
    }

    [Fact]
    public void RateOfChange_SteadyRiseAboveLimit_Activates()
    {
        var rule = new RateOfChangeRule("cryo.temp.sd1.drift", "Drift", AlarmSeverity.Warning, Temp) { MaxPerHour = 0.5, Window = TimeSpan.FromMinutes(30) };
        var h = new EngineHarness(rule);

        for (var s = 0; s < 1200; s += 10)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed(Temp, 77.3 + (s / 3600.0));
        }

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("cryo.temp.sd1.drift"));
        Assert.Equal(1.0, h.Engine.Find("cryo.temp.sd1.drift")!.Value!.Value, 3);
    }

    [Fact]
    public void RateOfChange_SlowRise_StaysNormal()
    {
        var rule = new RateOfChangeRule("cryo.temp.sd1.drift", "Drift", AlarmSeverity.Warning, Temp) { MaxPerHour = 0.5, Window = TimeSpan.FromMinutes(30) };
        var h = new EngineHarness(rule);

        for (var s = 0; s < 3600; s += 10)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed(Temp, 77.3 + (0.3 * s / 3600.0));
        }

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void SetpointDeviation_ReadbackOffBeyondLimit_Activates()
    {
        var h = new EngineHarness(new SetpointDeviationRule("pmt.sd1a.hv.dev", "HV off", AlarmSeverity.Warning, Read, Set) { MaxDeviation = 5, ArmedAbove = 100 });

        h.FeedMany((Set, 1500), (Read, 1493));

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("pmt.sd1a.hv.dev"));
    }

    [Fact]
    public void SetpointDeviation_SupplySwitchedOff_StaysNormal()
    {
        var h = new EngineHarness(new SetpointDeviationRule("pmt.sd1a.hv.tripped", "Tripped", AlarmSeverity.Critical, Read, Set) { TripBelow = 10, ArmedAbove = 100 });

        h.FeedMany((Set, 0), (Read, 0));

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void SetpointDeviation_TrippedReadback_RaisesCritical()
    {
        var h = new EngineHarness(new SetpointDeviationRule("pmt.sd1a.hv.tripped", "Tripped", AlarmSeverity.Critical, Read, Set) { TripBelow = 10, ArmedAbove = 100 });

        h.FeedMany((Set, 1500), (Read, 0));

        var transition = Assert.Single(h.Transitions);
        Assert.Equal((AlarmState.ActiveUnacknowledged, AlarmSeverity.Critical), (transition.To, transition.Severity));
    }

    [Fact]
    public void Baseline_FiveTimesMedian_Activates()
    {
        var h = new EngineHarness(new BaselineRule("pmt.sd1a.darkrate.high", "Noisy", AlarmSeverity.Major, Rate) { HighFactor = 5, Window = TimeSpan.FromHours(1), Buckets = 4 });
        h.Hold(Rate, 111, TimeSpan.FromMinutes(40), TimeSpan.FromSeconds(10));

        h.Feed(Rate, 600);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("pmt.sd1a.darkrate.high"));
    }

    [Fact]
    public void Baseline_NoCompletedBucket_CannotJudge()
    {
        var h = new EngineHarness(new BaselineRule("pmt.sd1a.darkrate.high", "Noisy", AlarmSeverity.Major, Rate) { HighFactor = 5, Window = TimeSpan.FromHours(1), Buckets = 4 });
        h.Hold(Rate, 111, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));

        h.Feed(Rate, 600);

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void Baseline_ZeroAtFloor_ActivatesWithoutHistory()
    {
        var h = new EngineHarness(new BaselineRule("pmt.sd1a.darkrate.dead", "Dead", AlarmSeverity.Major, Rate) { Floor = 0 });

        h.Feed(Rate, 0);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("pmt.sd1a.darkrate.dead"));
    }

    [Fact]
    public void Baseline_BelowLowFactor_Activates()
    {
        var h = new EngineHarness(new BaselineRule("veto.rate.deviation", "Veto off", AlarmSeverity.Warning, "veto.rate") { LowFactor = 0.7, HighFactor = 1.3, Window = TimeSpan.FromHours(1), Buckets = 4 });
        h.Hold("veto.rate", 250, TimeSpan.FromMinutes(40), TimeSpan.FromSeconds(10));

        h.Feed("veto.rate", 160);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("veto.rate.deviation"));
    }

    [Fact]
    public void Stale_AgentSilentPastLimit_Activates()
    {
        var h = new EngineHarness(new StaleRule("agent.platform-1.silent", "Silent", AlarmSeverity.Warning) { AgentId = EngineHarness.Agent, MaxSilence = TimeSpan.FromSeconds(30) });
        h.Engine.ReportAgentHeartbeat(EngineHarness.Agent, h.Now);

        h.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("agent.platform-1.silent"));
    }

    [Fact]
    public void Stale_AgentHeardFromAgain_Returns()
    {
        var h = new EngineHarness(new StaleRule("agent.platform-1.silent", "Silent", AlarmSeverity.Warning) { AgentId = EngineHarness.Agent, MaxSilence = TimeSpan.FromSeconds(30) });
        h.Advance(TimeSpan.FromSeconds(31));

        h.Feed("any.channel", 1);

        Assert.Equal(AlarmState.ReturnedUnacknowledged, h.StateOf("agent.platform-1.silent"));
    }

    [Fact]
    public void Stale_ChannelKeepsReporting_StaysNormal()
    {
        var h = new EngineHarness(new StaleRule("cryo.temp.sd1.stale", "Silent", AlarmSeverity.Warning) { Channel = Temp, MaxSilence = TimeSpan.FromSeconds(10) });

        h.Hold(Temp, 77.3, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5));

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void Forecast_FallingToEmptyWithinHorizon_Activates()
    {
        var h = new EngineHarness(new ForecastRule("cryo.ln2.level.forecast", "Empty soon", AlarmSeverity.Major, "cryo.ln2.level") { Horizon = TimeSpan.FromHours(4) });

        for (var s = 0; s < 1200; s += 10)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed("cryo.ln2.level", 70 - (20.0 * s / 3600));
        }

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("cryo.ln2.level.forecast"));
    }

    [Fact]
    public void Forecast_NormalBoilOff_StaysNormal()
    {
        var h = new EngineHarness(new ForecastRule("cryo.ln2.level.forecast", "Empty soon", AlarmSeverity.Major, "cryo.ln2.level") { Horizon = TimeSpan.FromHours(4) });

        for (var s = 0; s < 3600; s += 10)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed("cryo.ln2.level", 70 - (1.5 * s / 3600));
        }

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void State_ValueEqualsCode_Activates()
    {
        var h = new EngineHarness(new StateRule("daq.interlock.tripped", "Interlock", AlarmSeverity.Critical, "daq.interlock", 1));

        h.Feed("daq.interlock", 1);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("daq.interlock.tripped"));
    }

    [Fact]
    public void Beam_OnlyWhileBeamOnWithBeamOff_StaysNormal()
    {
        var h = new EngineHarness(new LimitRule("beam.power.low", "Beam low", AlarmSeverity.Warning, Beam) { Low = 70, Beam = BeamCondition.OnlyWhileBeamOn });

        h.Feed(Beam, 0);

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void Beam_OnlyWhileBeamOnWithLowBeam_Activates()
    {
        var h = new EngineHarness(new LimitRule("beam.power.low", "Beam low", AlarmSeverity.Warning, Beam) { Low = 70, Beam = BeamCondition.OnlyWhileBeamOn });

        h.Feed(Beam, 40);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("beam.power.low"));
    }

    [Fact]
    public void Beam_SuppressedDuringBeamTrip_BeamOff_SuppressedByDesign()
    {
        var h = new EngineHarness(new LimitRule("daq.trigger.rate.low", "No triggers", AlarmSeverity.Warning, "daq.trigger.rate") { Low = 20, Beam = BeamCondition.SuppressedDuringBeamTrip });
        h.Feed(Beam, 140);

        h.FeedMany((Beam, 0), ("daq.trigger.rate", 0));

        Assert.Equal(AlarmState.SuppressedByDesign, h.StateOf("daq.trigger.rate.low"));
    }

    [Fact]
    public void Beam_SuppressedDuringBeamTrip_BeamBackWithConditionHolding_Annunciates()
    {
        var h = new EngineHarness(new LimitRule("daq.trigger.rate.low", "No triggers", AlarmSeverity.Warning, "daq.trigger.rate") { Low = 20, Beam = BeamCondition.SuppressedDuringBeamTrip });
        h.FeedMany((Beam, 0), ("daq.trigger.rate", 0));

        h.FeedMany((Beam, 140), ("daq.trigger.rate", 0));

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("daq.trigger.rate.low"));
    }

    [Fact]
    public void BadQuality_Ignored()
    {
        var h = new EngineHarness(HighTemp());

        h.Engine.Apply(new Server.Ingest.AcceptedReadings(EngineHarness.Agent, h.Now, 1, false, [new Shared.Protocol.Reading(Temp, h.Now, 99, Shared.Protocol.Quality.Bad)]));

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void Historical_AboveHigh_DoesNotActivate()
    {
        var h = new EngineHarness(HighTemp());

        h.Feed(Temp, 85, historical: true);

        Assert.Empty(h.Transitions);
    }

    [Fact]
    public void Historical_Readings_FeedTheBaseline()
    {
        var h = new EngineHarness(new BaselineRule("pmt.sd1a.darkrate.high", "Noisy", AlarmSeverity.Major, Rate) { HighFactor = 5, Window = TimeSpan.FromHours(1), Buckets = 4 });
        for (var i = 0; i < 240; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed(Rate, 111, historical: true);
        }

        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Feed(Rate, 600);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf("pmt.sd1a.darkrate.high"));
    }

    [Fact]
    public void Options_Defaults_AreValid() =>
        Assert.True(new AlarmOptionsValidator().Validate(null, new AlarmOptions()).Succeeded);
}
