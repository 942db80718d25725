using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms.States;

/// <summary>
/// One change of an alarm's state: what persistence, the audit log, hub pushes and the notifier
/// consume. <paramref name="AlarmId"/> names the occurrence (<c>{ruleId}@{activation time}</c>): it
/// stays the same from activation through acknowledgement and return, also while the alarm flaps.
/// </summary>
/// <param name="User">Who caused it: an operator's name, or <see cref="AlarmTransition.System"/>.</param>
/// <param name="Value">The rule's figure at the time (value, deviation, slope, hours left…).</param>
public sealed record AlarmTransition(
    string AlarmId,
    string RuleId,
    AlarmState From,
    AlarmState To,
    DateTimeOffset At,
    string User,
    double? Value,
    string? Comment)
{
    public const string System = "system";

    public string RuleName { get; init; } = "";

    public AlarmSeverity Severity { get; init; }

    public string? GroupKey { get; init; }

    /// <summary>True while the alarm activates more often than the flap limit: notify once, not per activation.</summary>
    public bool Flapping { get; init; }

    /// <summary>Whether the rule's condition holds, also while the alarm is shelved or suppressed.</summary>
    public bool ConditionActive { get; init; }
}

/// <summary>
/// Receives every alarm transition, in order, synchronously under the engine's lock. Must be
/// quick and must not call back into the engine: hand the transition to a bounded queue of your
/// own (persistence, hub, notifier). A sink that throws is logged and counted; the others still get it.
/// </summary>
public interface IAlarmTransitionSink
{
    void Publish(AlarmTransition transition);
}

/// <summary>
/// What persistence stores so that alarm states survive a restart; handed back to
/// <see cref="AlarmEngine.Restore"/>. Suppression by design is not stored: it is derived again
/// from live data.
/// </summary>
public sealed record AlarmStateSnapshot(
    string RuleId,
    string AlarmId,
    AlarmState State,
    bool ConditionActive,
    bool Unacknowledged,
    bool OutOfService,
    ShelveInfo? Shelve,
    DateTimeOffset Since,
    double? Value,
    IReadOnlyList<DateTimeOffset> RecentActivations);

/// <summary>Why an operator's request was refused, or null when it was carried out.</summary>
public sealed record AlarmOperationResult(bool Done, string? Refusal)
{
    public static AlarmOperationResult Ok { get; } = new(true, null);

    public static AlarmOperationResult Refused(string reason) => new(false, reason);
}
