using System.Globalization;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Client.Alarms;

/// <summary>Words, keys and order of alarms as every alarm view shows them.</summary>
public static class AlarmDisplay
{
    /// <summary>States an operator is told about; the others are set aside on purpose.</summary>
    public static bool IsAnnunciated(AlarmState state) =>
        state is AlarmState.ActiveUnacknowledged or AlarmState.ActiveAcknowledged or AlarmState.ReturnedUnacknowledged;

    public static bool IsUnacknowledged(AlarmState state) =>
        state is AlarmState.ActiveUnacknowledged or AlarmState.ReturnedUnacknowledged;

    public static bool CanShelve(AlarmState state) => IsAnnunciated(state);

    /// <summary>Worst first: severity, then unacknowledged before acknowledged, then the newest change.</summary>
    public static int Compare(AlarmView x, AlarmView y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var bySeverity = y.Severity.CompareTo(x.Severity);
        if (bySeverity != 0)
        {
            return bySeverity;
        }

        var byAnnunciation = IsAnnunciated(y.State).CompareTo(IsAnnunciated(x.State));
        if (byAnnunciation != 0)
        {
            return byAnnunciation;
        }

        var byAcknowledgement = IsUnacknowledged(y.State).CompareTo(IsUnacknowledged(x.State));
        if (byAcknowledgement != 0)
        {
            return byAcknowledgement;
        }

        var bySince = y.Since.CompareTo(x.Since);
        return bySince != 0 ? bySince : string.CompareOrdinal(x.RuleId, y.RuleId);
    }

    public static IReadOnlyList<AlarmView> Ordered(IEnumerable<AlarmView> alarms) =>
        [.. alarms.Order(Comparer<AlarmView>.Create(Compare))];

    /// <summary>The state as the API spells it, for <c>data-state</c> attributes and CSS classes.</summary>
    public static string StateKey(AlarmState state) => state switch
    {
        AlarmState.Normal => "normal",
        AlarmState.ActiveUnacknowledged => "activeUnacknowledged",
        AlarmState.ActiveAcknowledged => "activeAcknowledged",
        AlarmState.ReturnedUnacknowledged => "returnedUnacknowledged",
        AlarmState.Shelved => "shelved",
        AlarmState.SuppressedByDesign => "suppressedByDesign",
        AlarmState.OutOfService => "outOfService",
        _ => "unknown",
    };

    public static string StateLabel(AlarmState state) => state switch
    {
        AlarmState.Normal => "Normal",
        AlarmState.ActiveUnacknowledged => "Active, unacknowledged",
        AlarmState.ActiveAcknowledged => "Active, acknowledged",
        AlarmState.ReturnedUnacknowledged => "Returned, unacknowledged",
        AlarmState.Shelved => "Shelved",
        AlarmState.SuppressedByDesign => "Suppressed by design",
        AlarmState.OutOfService => "Out of service",
        _ => "Unknown",
    };

    public static string SeverityKey(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Critical => "critical",
        AlarmSeverity.Major => "major",
        _ => "warning",
    };

    public static string SeverityLabel(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Critical => "Critical",
        AlarmSeverity.Major => "Major",
        _ => "Warning",
    };

    public static string LevelKey(AlarmLevel level) => level switch
    {
        AlarmLevel.Alarm => "alarm",
        AlarmLevel.Warning => "warning",
        _ => "none",
    };

    public static string Value(double? value) => Formatting.DisplayFormat.Value(value);

    /// <summary>UTC, as the shift log writes times; the date only when it is not today.</summary>
    public static string Time(DateTimeOffset at, DateTimeOffset now)
    {
        var utc = at.ToUniversalTime();
        var format = utc.Date == now.ToUniversalTime().Date ? "HH:mm:ss" : "yyyy-MM-dd HH:mm:ss";
        return utc.ToString(format, CultureInfo.InvariantCulture) + " UTC";
    }
}
