using Clovers.Monitor.Client.Alarms;
using Clovers.Monitor.Shared.Alarms;
using static Clovers.Monitor.Client.Tests.Alarms.TestAlarms;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Alarms;

public sealed class AlarmSummaryTests
{
    [Fact]
    public void From_NoAlarms_IsNone()
    {
        var summary = AlarmSummary.From([]);

        Assert.Equal(AlarmSummary.Empty, summary);
    }

    [Theory]
    [InlineData(AlarmSeverity.Critical, AlarmState.ActiveUnacknowledged, AlarmLevel.Alarm)]
    [InlineData(AlarmSeverity.Major, AlarmState.ReturnedUnacknowledged, AlarmLevel.Alarm)]
    [InlineData(AlarmSeverity.Critical, AlarmState.ActiveAcknowledged, AlarmLevel.Warning)]
    [InlineData(AlarmSeverity.Warning, AlarmState.ActiveUnacknowledged, AlarmLevel.Warning)]
    [InlineData(AlarmSeverity.Critical, AlarmState.Shelved, AlarmLevel.None)]
    [InlineData(AlarmSeverity.Critical, AlarmState.SuppressedByDesign, AlarmLevel.None)]
    [InlineData(AlarmSeverity.Major, AlarmState.OutOfService, AlarmLevel.None)]
    public void From_OneAlarm_LevelFollowsSeverityAndAcknowledgement(AlarmSeverity severity, AlarmState state, AlarmLevel expected)
    {
        var summary = AlarmSummary.From([Alarm("a", severity, state)]);

        Assert.Equal(expected, summary.Level);
    }

    [Fact]
    public void From_SetAsideAlarms_CountedAsHiddenOnly()
    {
        var summary = AlarmSummary.From([Alarm("a", AlarmSeverity.Critical, AlarmState.Shelved), Alarm("b", AlarmSeverity.Warning)]);

        Assert.Equal((0, 0, 1, 1), (summary.Critical, summary.Major, summary.Warning, summary.Hidden));
    }

    [Fact]
    public void From_SeveralAlarms_TopIsTheMostSevereThenUnacknowledgedThenNewest()
    {
        var summary = AlarmSummary.From(
        [
            Alarm("warn", AlarmSeverity.Warning, since: Now),
            Alarm("acked", AlarmSeverity.Critical, AlarmState.ActiveAcknowledged, since: Now),
            Alarm("old", AlarmSeverity.Critical, since: Now.AddHours(-1)),
            Alarm("new", AlarmSeverity.Critical, since: Now.AddMinutes(-1)),
        ]);

        Assert.Equal("new", summary.Top?.RuleId);
    }
}
