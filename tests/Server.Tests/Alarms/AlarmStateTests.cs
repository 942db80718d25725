using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms;

public sealed class AlarmStateTests
{
    private const string Temp = "cryo.temp.sd1";
    private const string Id = "cryo.temp.sd1.high";
    private const string Read = "pmt.sd1a.hv.read";
    private const string Set = "pmt.sd1a.hv.set";

    private static readonly LimitRule HighTemp = new(Id, "Crystal 1 hot", AlarmSeverity.Major, Temp) { High = 80 };

    private static EngineHarness Active()
    {
        var h = new EngineHarness(HighTemp);
        h.Feed(Temp, 81);
        return h;
    }

    [Fact]
    public void Activate_RecordsTransitionWithSystemUserAndValue()
    {
        var h = Active();

        var t = Assert.Single(h.Transitions);
        Assert.Equal((Id, AlarmState.Normal, AlarmState.ActiveUnacknowledged, AlarmTransition.System, 81.0), (t.RuleId, t.From, t.To, t.User, t.Value!.Value));
    }

    [Fact]
    public void Acknowledge_Active_BecomesActiveAcknowledged()
    {
        var h = Active();

        var result = h.Engine.Acknowledge(Id, "alice", "looking");

        Assert.True(result.Done);
        var t = h.Transitions[^1];
        Assert.Equal((AlarmState.ActiveAcknowledged, "alice", "looking"), (t.To, t.User, t.Comment));
    }

    [Fact]
    public void Return_Unacknowledged_LatchesUntilAcknowledged()
    {
        var h = Active();

        h.Feed(Temp, 77);

        Assert.Equal(AlarmState.ReturnedUnacknowledged, h.StateOf(Id));
    }

    [Fact]
    public void Acknowledge_Returned_BecomesNormal()
    {
        var h = Active();
        h.Feed(Temp, 77);

        h.Engine.Acknowledge(Id, "alice");

        Assert.Equal(AlarmState.Normal, h.StateOf(Id));
    }

    [Fact]
    public void Return_Acknowledged_BecomesNormal()
    {
        var h = Active();
        h.Engine.Acknowledge(Id, "alice");

        h.Feed(Temp, 77);

        Assert.Equal(AlarmState.Normal, h.StateOf(Id));
    }

    [Fact]
    public void Acknowledge_Normal_IsRefused()
    {
        var h = new EngineHarness(HighTemp);

        var result = h.Engine.Acknowledge(Id, "alice");

        Assert.False(result.Done);
        Assert.Contains("nothing to acknowledge", result.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Acknowledge_UnknownRule_IsRefused() =>
        Assert.False(new EngineHarness(HighTemp).Engine.Acknowledge("no.such.rule", "alice").Done);

    [Fact]
    public void Reactivation_WhileLatched_KeepsAlarmId()
    {
        var h = Active();
        h.Feed(Temp, 77);

        h.Feed(Temp, 81);

        Assert.Single(h.Transitions.Select(t => t.AlarmId).Distinct());
    }

    [Fact]
    public void Reactivation_AfterNormal_NewAlarmId()
    {
        var h = Active();
        h.Engine.Acknowledge(Id, "alice");
        h.Feed(Temp, 77);
        h.Time.Advance(TimeSpan.FromSeconds(1));

        h.Feed(Temp, 81);

        Assert.NotEqual(h.Transitions[0].AlarmId, h.Transitions[^1].AlarmId);
    }

    [Fact]
    public void Shelve_Active_HidesAlarm()
    {
        var h = Active();

        var result = h.Engine.Shelve(Id, "alice", h.Now.AddHours(1), "sensor being replaced");

        Assert.True(result.Done);
        Assert.Equal(AlarmState.Shelved, h.StateOf(Id));
    }

    [Fact]
    public void Shelve_WithoutReason_IsRefused() =>
        Assert.False(Active().Engine.Shelve(Id, "alice", EngineHarness.Start.AddHours(1), " ").Done);

    [Fact]
    public void Shelve_BeyondMaximum_IsRefused() =>
        Assert.False(Active().Engine.Shelve(Id, "alice", EngineHarness.Start.AddDays(30), "long").Done);

    [Fact]
    public void Shelve_Expired_UnshelvesAndAnnunciatesActiveCondition()
    {
        var h = Active();
        h.Engine.Shelve(Id, "alice", h.Now.AddMinutes(10), "maintenance");

        h.Advance(TimeSpan.FromMinutes(11));

        var t = h.Transitions[^1];
        Assert.Equal((AlarmState.Shelved, AlarmState.ActiveUnacknowledged, AlarmTransition.System), (t.From, t.To, t.User));
    }

    [Fact]
    public void Shelve_ConditionClearsWhileShelved_UnshelvesToNormal()
    {
        var h = Active();
        h.Engine.Shelve(Id, "alice", h.Now.AddMinutes(10), "maintenance");
        h.Feed(Temp, 77);

        h.Engine.Unshelve(Id, "bob");

        Assert.Equal(AlarmState.Normal, h.StateOf(Id));
    }

    [Fact]
    public void Shelved_ConditionChanges_NoTransitions()
    {
        var h = Active();
        h.Engine.Shelve(Id, "alice", h.Now.AddMinutes(10), "maintenance");
        var before = h.Transitions.Count;

        h.Feed(Temp, 77);
        h.Feed(Temp, 82);

        Assert.Equal(before, h.Transitions.Count);
    }

    [Fact]
    public void OutOfService_HidesAlarmUntilReturned()
    {
        var h = Active();

        h.Engine.SetOutOfService(Id, "alice", "sensor unplugged");
        h.Feed(Temp, 85);

        Assert.Equal(AlarmState.OutOfService, h.StateOf(Id));
    }

    [Fact]
    public void ReturnToService_ConditionHolds_ActiveUnacknowledged()
    {
        var h = Active();
        h.Engine.SetOutOfService(Id, "alice", "sensor unplugged");

        h.Engine.ReturnToService(Id, "alice");

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf(Id));
    }

    [Fact]
    public void Shelve_OutOfService_IsRefused()
    {
        var h = Active();
        h.Engine.SetOutOfService(Id, "alice");

        Assert.False(h.Engine.Shelve(Id, "alice", h.Now.AddHours(1), "why").Done);
    }

    [Fact]
    public void SuppressedByDesign_SetpointMoving_HidesDeviation()
    {
        var rule = new SetpointDeviationRule("pmt.sd1a.hv.dev", "HV off", AlarmSeverity.Warning, Read, Set)
        {
            MaxDeviation = 5,
            ArmedAbove = 100,
            SuppressWhileMoving = new DesignSuppression(Set, TimeSpan.FromMinutes(2)),
        };
        var h = new EngineHarness(rule);
        h.FeedMany((Set, 1500), (Read, 1500));
        h.Time.Advance(TimeSpan.FromSeconds(1));

        h.FeedMany((Set, 1400), (Read, 1480));

        Assert.Equal(AlarmState.SuppressedByDesign, h.StateOf("pmt.sd1a.hv.dev"));
    }

    [Fact]
    public void SuppressedByDesign_SettledAndFine_ReturnsToNormal()
    {
        var rule = new SetpointDeviationRule("pmt.sd1a.hv.dev", "HV off", AlarmSeverity.Warning, Read, Set)
        {
            MaxDeviation = 5,
            ArmedAbove = 100,
            SuppressWhileMoving = new DesignSuppression(Set, TimeSpan.FromMinutes(2)),
        };
        var h = new EngineHarness(rule);
        h.FeedMany((Set, 1500), (Read, 1500));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.FeedMany((Set, 1400), (Read, 1480));
        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.FeedMany((Set, 1400), (Read, 1400));

        h.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(AlarmState.Normal, h.StateOf("pmt.sd1a.hv.dev"));
    }

    [Fact]
    public void Flapping_ManyActivations_MarkedFlappingAndOneAlarm()
    {
        var h = new EngineHarness(new AlarmOptions { FlapActivations = 3, FlapWindowMinutes = 10 }, HighTemp);

        for (var i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed(Temp, 81);
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed(Temp, 77);
        }

        Assert.True(h.Engine.Find(Id)!.Flapping);
        Assert.Single(h.Transitions.Select(t => t.AlarmId).Distinct());
    }

    [Fact]
    public void Flapping_QuietForTheWindow_Clears()
    {
        var h = new EngineHarness(new AlarmOptions { FlapActivations = 3, FlapWindowMinutes = 10 }, HighTemp);
        for (var i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed(Temp, 81);
            h.Time.Advance(TimeSpan.FromSeconds(10));
            h.Feed(Temp, 77);
        }

        h.Advance(TimeSpan.FromMinutes(11));

        Assert.False(h.Engine.Find(Id)!.Flapping);
    }

    [Fact]
    public void Snapshot_RestoredIntoFreshEngine_KeepsStateSilently()
    {
        var h = Active();
        h.Engine.Acknowledge(Id, "alice");
        var snapshot = h.Engine.Snapshot();

        var fresh = new EngineHarness(HighTemp);
        var restored = fresh.Engine.Restore(snapshot);

        Assert.Equal(1, restored);
        Assert.Equal(AlarmState.ActiveAcknowledged, fresh.StateOf(Id));
        Assert.Empty(fresh.Transitions);
    }

    [Fact]
    public void Snapshot_RestoredActive_ClearsWithTheNextGoodReading()
    {
        var snapshot = Active().Engine.Snapshot();
        var fresh = new EngineHarness(HighTemp);
        fresh.Engine.Restore(snapshot);

        fresh.Feed(Temp, 77);

        Assert.Equal(AlarmState.ReturnedUnacknowledged, fresh.StateOf(Id));
    }

    [Fact]
    public void Snapshot_ShelvedAlarm_KeepsShelveDetails()
    {
        var h = Active();
        h.Engine.Shelve(Id, "alice", h.Now.AddHours(2), "calibration");

        var fresh = new EngineHarness(HighTemp);
        fresh.Engine.Restore(h.Engine.Snapshot());

        Assert.Equal(new ShelveInfo("alice", h.Now.AddHours(2), "calibration"), fresh.Engine.Find(Id)!.Shelve);
    }

    [Fact]
    public void Active_ListsOnlyAlarmsNotNormal()
    {
        var h = new EngineHarness(HighTemp, new LimitRule("cryo.temp.sd2.high", "Crystal 2 hot", AlarmSeverity.Major, "cryo.temp.sd2") { High = 80 });

        h.Feed(Temp, 81);

        Assert.Equal([Id], h.Engine.Active.Select(a => a.RuleId));
    }

    [Fact]
    public void SinkThrows_OtherSinksStillReceive()
    {
        var recording = new RecordingTransitionSink();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(EngineHarness.Start);
        var engine = new AlarmEngine(Microsoft.Extensions.Options.Options.Create(new AlarmOptions()), time, [new ThrowingSink(), recording]);
        engine.ReplaceRules([HighTemp]);

        engine.Apply(new Server.Ingest.AcceptedReadings("platform-1", time.GetUtcNow(), 1, false, [new Shared.Protocol.Reading(Temp, time.GetUtcNow(), 81)]));

        Assert.Single(recording.Transitions);
        Assert.Equal(1, engine.SinkFailures);
    }

    private sealed class ThrowingSink : IAlarmTransitionSink
    {
        public void Publish(AlarmTransition transition) => throw new InvalidOperationException("sink down");
    }
}
