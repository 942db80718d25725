using Clovers.Monitor.Server.Alarms.Live;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms.Api;

public sealed class AlarmPusherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ViewsOf_SameOccurrenceTwice_KeepsOnlyTheNewest()
    {
        IReadOnlyList<AlarmTransition> transitions =
        [
            Transition("a.one@1", AlarmState.Normal, AlarmState.ActiveUnacknowledged),
            Transition("a.one@1", AlarmState.ActiveUnacknowledged, AlarmState.ActiveAcknowledged),
        ];

        var views = AlarmPusher.ViewsOf(transitions, _ => null);

        Assert.Equal(AlarmState.ActiveAcknowledged, Assert.Single(views).State);
    }

    [Fact]
    public void ViewsOf_TwoOccurrencesOfOneRule_PushesBoth()
    {
        IReadOnlyList<AlarmTransition> transitions =
        [
            Transition("a.one@1", AlarmState.ActiveAcknowledged, AlarmState.Normal),
            Transition("a.one@2", AlarmState.Normal, AlarmState.ActiveUnacknowledged),
        ];

        var views = AlarmPusher.ViewsOf(transitions, _ => null);

        Assert.Equal(["a.one@1", "a.one@2"], views.Select(v => v.AlarmId));
    }

    [Fact]
    public void ViewsOf_CurrentOccurrence_TakesTheEngineView()
    {
        var shelved = new AlarmView("a.one@1", "a.one", "Rule", AlarmSeverity.Major, AlarmState.Shelved, true, false, T0, 1, null, new ShelveInfo("alice", T0.AddHours(1), "swap"));

        var views = AlarmPusher.ViewsOf([Transition("a.one@1", AlarmState.ActiveUnacknowledged, AlarmState.Shelved)], _ => shelved);

        Assert.Same(shelved, Assert.Single(views));
    }

    private static AlarmTransition Transition(string alarmId, AlarmState from, AlarmState to) =>
        new(alarmId, "a.one", from, to, T0, AlarmTransition.System, 1, null) { RuleName = "Rule", Severity = AlarmSeverity.Major };
}
