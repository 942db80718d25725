using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Client.Alarms;

/// <summary>How loud the banner is: none, amber for warnings or acknowledged alarms, red for unacknowledged major or critical ones.</summary>
public enum AlarmLevel
{
    None,
    Warning,
    Alarm,
}

/// <summary>What the alarm banner shows, computed from the live alarms.</summary>
public sealed record AlarmSummary(
    AlarmLevel Level,
    int Critical,
    int Major,
    int Warning,
    int Unacknowledged,
    int Hidden,
    AlarmView? Top)
{
    public static readonly AlarmSummary Empty = new(AlarmLevel.None, 0, 0, 0, 0, 0, null);

    /// <summary>
    /// Counts the annunciated alarms; shelved, suppressed and out-of-service ones are only counted
    /// as hidden, so that a shelved nuisance never turns the banner red.
    /// </summary>
    public static AlarmSummary From(IEnumerable<AlarmView> alarms)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        int critical = 0, major = 0, warning = 0, unacknowledged = 0, hidden = 0;
        var level = AlarmLevel.None;
        AlarmView? top = null;
        foreach (var alarm in alarms)
        {
            if (!AlarmDisplay.IsAnnunciated(alarm.State))
            {
                if (alarm.State != AlarmState.Normal)
                {
                    hidden++;
                }

                continue;
            }

            switch (alarm.Severity)
            {
                case AlarmSeverity.Critical:
                    critical++;
                    break;
                case AlarmSeverity.Major:
                    major++;
                    break;
                default:
                    warning++;
                    break;
            }

            var unacked = AlarmDisplay.IsUnacknowledged(alarm.State);
            if (unacked)
            {
                unacknowledged++;
            }

            var alarmLevel = unacked && alarm.Severity >= AlarmSeverity.Major ? AlarmLevel.Alarm : AlarmLevel.Warning;
            if (alarmLevel > level)
            {
                level = alarmLevel;
            }

            if (top is null || AlarmDisplay.Compare(alarm, top) < 0)
            {
                top = alarm;
            }
        }

        return new AlarmSummary(level, critical, major, warning, unacknowledged, hidden, top);
    }
}
