using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms.Persistence;

/// <summary>A filter on <c>alarm_history</c>: [From, To), one rule, one severity, at most Limit rows, newest first.</summary>
public sealed record AlarmHistoryQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? RuleId = null,
    AlarmSeverity? Severity = null,
    int Limit = AlarmHistoryQuery.DefaultLimit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
