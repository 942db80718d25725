using Clovers.Monitor.Shared.Alarms;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Alarms;

public static class TestAlarms
{
    public const string HvTrip = "pmt.sd1a.hv.read.tripped";

    public static AlarmView Alarm(
        string ruleId,
        AlarmSeverity severity = AlarmSeverity.Major,
        AlarmState state = AlarmState.ActiveUnacknowledged,
        DateTimeOffset? since = null,
        double? value = 1,
        bool flapping = false,
        ShelveInfo? shelve = null,
        string? name = null) =>
        new($"{ruleId}@1", ruleId, name ?? $"{ruleId} name", severity, state,
            state is AlarmState.ActiveUnacknowledged or AlarmState.ActiveAcknowledged, flapping, since ?? Now.AddMinutes(-5), value, null, shelve);
}
