using System.Text.RegularExpressions;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms.Rules;

/// <summary>Every problem of a rule set at once, so a bad rule is refused with all its reasons.</summary>
public sealed record RuleValidationResult(IReadOnlyList<string> Problems)
{
    public static RuleValidationResult Valid { get; } = new([]);

    public bool IsValid => Problems.Count == 0;
}

public static partial class RuleValidator
{
    /// <summary>Longest window a rule may keep history for; bounds memory and keeps restarts meaningful.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(24);

    public const int MaxBaselineBuckets = 1440;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)*$")]
    private static partial Regex RuleIdPattern();

    public static RuleValidationResult ValidateAll(IEnumerable<AlarmRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule is null)
            {
                problems.Add("A rule is missing (null).");
                continue;
            }

            problems.AddRange(Validate(rule));
            if (rule.Id is not null && !seen.Add(rule.Id))
            {
                problems.Add($"Rule '{rule.Id}': the id is used by more than one rule.");
            }
        }

        return problems.Count == 0 ? RuleValidationResult.Valid : new RuleValidationResult(problems);
    }

    public static IReadOnlyList<string> Validate(AlarmRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var problems = new List<string>();
        var label = $"Rule '{rule.Id}'";
        void Problem(string text) => problems.Add($"{label}: {text}");

        if (string.IsNullOrEmpty(rule.Id) || rule.Id.Length > 128 || !RuleIdPattern().IsMatch(rule.Id))
        {
            Problem("the id must be dotted lower-case (a-z, 0-9, '-', '_'), at most 128 characters.");
        }

        if (string.IsNullOrWhiteSpace(rule.Name))
        {
            Problem("the name is empty.");
        }

        if (!Enum.IsDefined(rule.Severity))
        {
            Problem($"severity {(int)rule.Severity} is not Warning, Major or Critical.");
        }

        if (!Enum.IsDefined(rule.Beam))
        {
            Problem($"beam condition {(int)rule.Beam} is not Any, OnlyWhileBeamOn or SuppressedDuringBeamTrip.");
        }

        CheckDuration(rule.OnDelay, "on-delay", MaxDelay, allowZero: true, Problem);
        CheckDuration(rule.OffDelay, "off-delay", MaxDelay, allowZero: true, Problem);

        foreach (var channel in rule.Channels)
        {
            CheckChannel(channel, "channel", Problem);
        }

        if (rule.SuppressWhileMoving is { } suppression)
        {
            CheckChannel(suppression.Channel, "suppression channel", Problem);
            CheckDuration(suppression.Settle, "suppression settle time", MaxDelay, allowZero: true, Problem);
            if (!double.IsFinite(suppression.Tolerance) || suppression.Tolerance < 0)
            {
                Problem($"suppression tolerance {suppression.Tolerance} must be a finite number ≥ 0.");
            }
        }

        switch (rule)
        {
            case LimitRule limit:
                ValidateLimit(limit, Problem);
                break;
            case RateOfChangeRule rate:
                CheckPositive(rate.MaxPerHour, "slope limit (per hour)", Problem);
                CheckDuration(rate.Window, "window", MaxWindow, allowZero: false, Problem);
                CheckFraction(rate.MinCoverage, Problem);
                break;
            case SetpointDeviationRule deviation:
                ValidateDeviation(deviation, Problem);
                break;
            case BaselineRule baseline:
                ValidateBaseline(baseline, Problem);
                break;
            case StaleRule stale:
                if ((stale.Channel is null) == (stale.AgentId is null))
                {
                    Problem("a stale rule watches exactly one of a channel or an agent.");
                }

                if (stale.AgentId is not null && !ProtocolRules.IsValidSourceId(stale.AgentId))
                {
                    Problem($"agent id '{stale.AgentId}' does not match {ProtocolRules.SourceIdPattern}.");
                }

                CheckDuration(stale.MaxSilence, "silence limit", MaxDelay, allowZero: false, Problem);
                break;
            case ForecastRule forecast:
                CheckFinite(forecast.EmptyAt, "empty level", Problem);
                CheckDuration(forecast.Window, "window", MaxWindow, allowZero: false, Problem);
                CheckDuration(forecast.Horizon, "horizon", MaxWindow, allowZero: false, Problem);
                CheckFraction(forecast.MinCoverage, Problem);
                break;
            case StateRule state:
                CheckFinite(state.Code, "state code", Problem);
                break;
            default:
                Problem($"kind {rule.GetType().Name} has no evaluator.");
                break;
        }

        return problems;
    }

    private static void ValidateLimit(LimitRule limit, Action<string> problem)
    {
        if (limit.High is null && limit.Low is null)
        {
            problem("a limit rule needs a high or a low threshold.");
        }

        if (limit.High is { } high)
        {
            CheckFinite(high, "high threshold", problem);
        }

        if (limit.Low is { } low)
        {
            CheckFinite(low, "low threshold", problem);
        }

        if (limit is { High: { } h, Low: { } l } && l >= h)
        {
            problem($"low threshold {l} must be below high threshold {h}.");
        }

        CheckDeadband(limit.Deadband, problem);
    }

    private static void ValidateDeviation(SetpointDeviationRule deviation, Action<string> problem)
    {
        if ((deviation.MaxDeviation is null) == (deviation.TripBelow is null))
        {
            problem("a setpoint rule needs exactly one of a maximum deviation or a trip level.");
        }

        if (deviation.MaxDeviation is { } max)
        {
            CheckPositive(max, "maximum deviation", problem);
        }

        if (deviation.TripBelow is { } trip)
        {
            CheckFinite(trip, "trip level", problem);
        }

        CheckFinite(deviation.ArmedAbove, "armed-above setpoint", problem);
        if (string.Equals(deviation.Channel, deviation.SetpointChannel, StringComparison.Ordinal))
        {
            problem("the readback and the setpoint must be different channels.");
        }

        CheckDeadband(deviation.Deadband, problem);
    }

    private static void ValidateBaseline(BaselineRule baseline, Action<string> problem)
    {
        if (baseline.HighFactor is null && baseline.LowFactor is null && baseline.Floor is null)
        {
            problem("a baseline rule needs a high factor, a low factor or a floor.");
        }

        if (baseline.HighFactor is { } high && (!double.IsFinite(high) || high <= 1))
        {
            problem($"high factor {high} must be a finite number above 1.");
        }

        if (baseline.LowFactor is { } low && (!double.IsFinite(low) || low is <= 0 or >= 1))
        {
            problem($"low factor {low} must be between 0 and 1.");
        }

        if (baseline.Floor is { } floor)
        {
            CheckFinite(floor, "floor", problem);
        }

        CheckDuration(baseline.Window, "window", MaxWindow, allowZero: false, problem);
        if (baseline.Buckets is < 2 or > MaxBaselineBuckets)
        {
            problem($"bucket count {baseline.Buckets} is outside [2, {MaxBaselineBuckets}].");
        }
    }

    private static void CheckChannel(string? channel, string what, Action<string> problem)
    {
        if (channel is null || !ProtocolRules.IsValidChannelId(channel))
        {
            problem($"{what} '{channel}' is not a valid channel id ({ProtocolRules.ChannelIdPattern}).");
        }
    }

    private static void CheckDuration(TimeSpan value, string what, TimeSpan max, bool allowZero, Action<string> problem)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero) || value > max)
        {
            problem($"{what} {value} is outside {(allowZero ? "[" : "(")}0, {max}].");
        }
    }

    private static void CheckFinite(double value, string what, Action<string> problem)
    {
        if (!double.IsFinite(value))
        {
            problem($"{what} {value} is not a finite number.");
        }
    }

    private static void CheckPositive(double value, string what, Action<string> problem)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            problem($"{what} {value} must be a finite number above 0.");
        }
    }

    private static void CheckDeadband(double deadband, Action<string> problem)
    {
        if (!double.IsFinite(deadband) || deadband < 0)
        {
            problem($"deadband {deadband} must be a finite number ≥ 0.");
        }
    }

    private static void CheckFraction(double coverage, Action<string> problem)
    {
        if (!double.IsFinite(coverage) || coverage is <= 0 or > 1)
        {
            problem($"minimum coverage {coverage} must be in (0, 1].");
        }
    }
}
