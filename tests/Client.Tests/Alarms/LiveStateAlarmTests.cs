using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Live;
using static Clovers.Monitor.Client.Tests.Alarms.TestAlarms;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Alarms;

public sealed class LiveStateAlarmTests
{
    private static LiveState WithAlarms(params AlarmView[] alarms)
    {
        var state = new LiveState();
        state.ApplySnapshot(new LiveSnapshot(Now, false, [], []) { Alarms = alarms });
        return state;
    }

    [Fact]
    public void ApplySnapshot_NormalAlarmListed_IsLeftOut()
    {
        var state = WithAlarms(Alarm("a"), Alarm("b", state: AlarmState.Normal));

        Assert.Equal(["a"], state.Alarms.Keys);
    }

    [Fact]
    public void ApplyAlarms_NewRule_IsAddedByRuleId()
    {
        var state = WithAlarms();

        state.ApplyAlarms([Alarm(HvTrip, AlarmSeverity.Critical)]);

        Assert.Equal(AlarmSeverity.Critical, state.Alarms[HvTrip].Severity);
    }

    [Fact]
    public void ApplyAlarms_KnownRule_IsReplaced()
    {
        var state = WithAlarms(Alarm(HvTrip, since: Now.AddMinutes(-5)));

        state.ApplyAlarms([Alarm(HvTrip, state: AlarmState.Shelved, since: Now)]);

        Assert.Equal(AlarmState.Shelved, state.Alarms[HvTrip].State);
    }

    [Fact]
    public void ApplyAlarms_Normal_IsRemoved()
    {
        var state = WithAlarms(Alarm(HvTrip, since: Now.AddMinutes(-5)), Alarm("other"));

        state.ApplyAlarms([Alarm(HvTrip, state: AlarmState.Normal, since: Now)]);

        Assert.Equal(["other"], state.Alarms.Keys);
    }

    [Fact]
    public void ApplyAlarms_OlderThanKnown_IsIgnored()
    {
        var state = WithAlarms(Alarm(HvTrip, state: AlarmState.ActiveAcknowledged, since: Now));

        state.ApplyAlarms([Alarm(HvTrip, state: AlarmState.ActiveUnacknowledged, since: Now.AddSeconds(-10))]);

        Assert.Equal(AlarmState.ActiveAcknowledged, state.Alarms[HvTrip].State);
    }
}
