using System.Text.Json.Serialization;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms.Rules;

/// <summary>Which evaluator a rule needs; persisted and shown, so the values are stable.</summary>
public enum RuleKind
{
    Limit,
    RateOfChange,
    SetpointDeviation,
    Baseline,
    Stale,
    Forecast,
    State,
}

/// <summary>How the CSNS beam gates a rule. Beam on means the beam channel reads above the configured power.</summary>
public enum BeamCondition
{
    /// <summary>The beam does not matter.</summary>
    Any,

    /// <summary>The condition only counts while the beam is on: with the beam off it is false and the alarm returns.</summary>
    OnlyWhileBeamOn,

    /// <summary>While the beam is off the alarm is suppressed by design; it is judged afresh when the beam is back.</summary>
    SuppressedDuringBeamTrip,
}

/// <summary>
/// Suppression by design: while <paramref name="Channel"/> moves (a setpoint being ramped) and for
/// <paramref name="Settle"/> after its last move, the alarm is suppressed, because the process is
/// expected to be off its normal values.
/// </summary>
/// <param name="Channel">The channel whose movement suppresses, e.g. a PMT's HV setpoint.</param>
/// <param name="Settle">How long after the last move the suppression lasts.</param>
/// <param name="Tolerance">Smaller changes than this are not a move.</param>
public sealed record DesignSuppression(string Channel, TimeSpan Settle, double Tolerance = 0.5);

/// <summary>
/// One alarm rule. A rule raises one alarm, whose id is the rule id. The raw condition of the
/// rule kind passes an on-delay (must hold that long before the alarm activates) and an off-delay
/// (must be gone that long before the alarm returns), so that noise never toggles it.
/// </summary>
/// <param name="Id">Stable, dotted lower-case: <c>cryo.temp.sd1.high</c>.</param>
/// <param name="Name">What a shifter reads.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LimitRule), "limit")]
[JsonDerivedType(typeof(RateOfChangeRule), "rate-of-change")]
[JsonDerivedType(typeof(SetpointDeviationRule), "setpoint-deviation")]
[JsonDerivedType(typeof(BaselineRule), "baseline")]
[JsonDerivedType(typeof(StaleRule), "stale")]
[JsonDerivedType(typeof(ForecastRule), "forecast")]
[JsonDerivedType(typeof(StateRule), "state")]
public abstract record AlarmRule(string Id, string Name, AlarmSeverity Severity)
{
    /// <summary>The discriminator; in JSON it is the <c>kind</c> property.</summary>
    [JsonIgnore]
    public abstract RuleKind Kind { get; }

    /// <summary>Channels whose readings the rule evaluates (empty for an agent heartbeat rule).</summary>
    public abstract IReadOnlyList<string> Channels { get; }

    public BeamCondition Beam { get; init; } = BeamCondition.Any;

    /// <summary>Groups alarms of one piece of equipment for notifications, e.g. <c>hv-supply-1</c>.</summary>
    public string? GroupKey { get; init; }

    public bool Enabled { get; init; } = true;

    public TimeSpan OnDelay { get; init; }

    public TimeSpan OffDelay { get; init; }

    public DesignSuppression? SuppressWhileMoving { get; init; }
}

/// <summary>
/// Value above <see cref="High"/> or below <see cref="Low"/>. Once raised, the condition holds
/// until the value is back inside by more than <see cref="Deadband"/>.
/// </summary>
public sealed record LimitRule(string Id, string Name, AlarmSeverity Severity, string Channel) : AlarmRule(Id, Name, Severity)
{
    [JsonIgnore]
    public override RuleKind Kind => RuleKind.Limit;

    public override IReadOnlyList<string> Channels => [Channel];

    public double? High { get; init; }

    public double? Low { get; init; }

    public double Deadband { get; init; }
}

/// <summary>Absolute least-squares slope over <see cref="Window"/> above <see cref="MaxPerHour"/> (units per hour).</summary>
public sealed record RateOfChangeRule(string Id, string Name, AlarmSeverity Severity, string Channel) : AlarmRule(Id, Name, Severity)
{
    [JsonIgnore]
    public override RuleKind Kind => RuleKind.RateOfChange;

    public override IReadOnlyList<string> Channels => [Channel];

    public double MaxPerHour { get; init; }

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>No judgement before the readings span this fraction of the window.</summary>
    public double MinCoverage { get; init; } = 0.5;
}

/// <summary>
/// A readback against its setpoint channel. With <see cref="MaxDeviation"/>: |read − set| above it.
/// With <see cref="TripBelow"/>: the readback below it, which is how a tripped HV supply shows.
/// Either way only while the setpoint is above <see cref="ArmedAbove"/> (a supply switched off on
/// purpose is not an alarm).
/// </summary>
public sealed record SetpointDeviationRule(string Id, string Name, AlarmSeverity Severity, string Channel, string SetpointChannel)
    : AlarmRule(Id, Name, Severity)
{
    [JsonIgnore]
    public override RuleKind Kind => RuleKind.SetpointDeviation;

    public override IReadOnlyList<string> Channels => [Channel, SetpointChannel];

    public double? MaxDeviation { get; init; }

    public double? TripBelow { get; init; }

    public double ArmedAbove { get; init; }

    public double Deadband { get; init; }
}

/// <summary>
/// The value against the median of its own history over <see cref="Window"/>: above
/// <see cref="HighFactor"/> × median, below <see cref="LowFactor"/> × median, or at or below
/// <see cref="Floor"/> (a dead channel, no baseline needed). The history is kept in
/// <see cref="Buckets"/> averaged buckets, so memory does not grow with the rate.
/// </summary>
public sealed record BaselineRule(string Id, string Name, AlarmSeverity Severity, string Channel) : AlarmRule(Id, Name, Severity)
{
    [JsonIgnore]
    public override RuleKind Kind => RuleKind.Baseline;

    public override IReadOnlyList<string> Channels => [Channel];

    public double? HighFactor { get; init; }

    public double? LowFactor { get; init; }

    public double? Floor { get; init; }

    public TimeSpan Window { get; init; } = TimeSpan.FromHours(24);

    public int Buckets { get; init; } = 96;
}

/// <summary>
/// Silence: of <see cref="Channel"/>, or of agent <see cref="AgentId"/> (any message from it counts),
/// for longer than <see cref="MaxSilence"/>. The clock starts when the rule is loaded.
/// </summary>
public sealed record StaleRule(string Id, string Name, AlarmSeverity Severity) : AlarmRule(Id, Name, Severity)
{
    [JsonIgnore]
    public override RuleKind Kind => RuleKind.Stale;

    public override IReadOnlyList<string> Channels => Channel is null ? [] : [Channel];

    public string? Channel { get; init; }

    public string? AgentId { get; init; }

    public TimeSpan MaxSilence { get; init; }
}

/// <summary>
/// Time until the value reaches <see cref="EmptyAt"/>, from a linear fit over <see cref="Window"/>,
/// shorter than <see cref="Horizon"/>: an LN2 Dewar running dry.
/// </summary>
public sealed record ForecastRule(string Id, string Name, AlarmSeverity Severity, string Channel) : AlarmRule(Id, Name, Severity)
{
    [JsonIgnore]
    public override RuleKind Kind => RuleKind.Forecast;

    public override IReadOnlyList<string> Channels => [Channel];

    public double EmptyAt { get; init; }

    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan Horizon { get; init; } = TimeSpan.FromHours(4);

    /// <summary>No forecast before the readings span this fraction of the window.</summary>
    public double MinCoverage { get; init; } = 0.25;
}

/// <summary>The value equals a state code (within 1e-6): a tripped flag, an interlock word.</summary>
public sealed record StateRule(string Id, string Name, AlarmSeverity Severity, string Channel, double Code) : AlarmRule(Id, Name, Severity)
{
    [JsonIgnore]
    public override RuleKind Kind => RuleKind.State;

    public override IReadOnlyList<string> Channels => [Channel];
}
