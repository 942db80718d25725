using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms.Evaluation;

/// <summary>
/// One loaded rule: its evaluator, its on/off delays, its suppressions and its alarm state.
/// Not thread-safe: the engine calls it under its lock.
/// </summary>
internal sealed class RuleRuntime
{
    private bool _delayedActive;
    private DateTimeOffset? _pendingSince;
    private double? _suppressorLast;
    private DateTimeOffset? _movingUntil;
    private bool _beamOff;

    public RuleRuntime(AlarmRule rule, RuleEvaluator evaluator, AlarmStateMachine machine)
    {
        Rule = rule;
        Evaluator = evaluator;
        Machine = machine;
        _delayedActive = machine.ConditionActive;
    }

    public AlarmRule Rule { get; }

    public RuleEvaluator Evaluator { get; }

    public AlarmStateMachine Machine { get; }

    /// <summary>Historical readings feed the evaluator's history but never move the alarm.</summary>
    public AlarmTransition? OnReading(string channel, DateTimeOffset at, double value, bool historical, bool? beamOn)
    {
        var raw = Evaluator.OnReading(channel, at, value);
        if (historical || raw is not { } condition)
        {
            return null;
        }

        Machine.UpdateValue(Evaluator.Measure);
        return Judge(condition, at, beamOn);
    }

    /// <summary>The raw condition through the beam gate and the on/off delays into the alarm.</summary>
    public AlarmTransition? Judge(bool condition, DateTimeOffset at, bool? beamOn)
    {
        if (Rule.Beam == BeamCondition.OnlyWhileBeamOn && beamOn != true)
        {
            condition = false;
        }

        if (condition == _delayedActive)
        {
            _pendingSince = null;
            return null;
        }

        _pendingSince ??= at;
        return Promote(at);
    }

    public void OnTick(DateTimeOffset now, bool? beamOn, List<AlarmTransition> output)
    {
        if (Evaluator.OnTime(now) is { } condition)
        {
            Machine.UpdateValue(Evaluator.Measure);
            Add(output, Judge(condition, now, beamOn));
        }
        else
        {
            Add(output, Promote(now));
        }

        Add(output, UpdateSuppression(now));
        Add(output, Machine.Tick(now));
    }

    /// <summary>A reading of the channel whose movement suppresses this rule by design.</summary>
    public AlarmTransition? OnSuppressorReading(DateTimeOffset at, double value, bool historical)
    {
        var suppression = Rule.SuppressWhileMoving!;
        if (!historical && _suppressorLast is { } last && Math.Abs(value - last) > suppression.Tolerance)
        {
            _movingUntil = at + suppression.Settle;
        }

        _suppressorLast = value;
        return historical ? null : UpdateSuppression(at);
    }

    public AlarmTransition? OnBeamChanged(bool beamOn, DateTimeOffset at)
    {
        if (Rule.Beam == BeamCondition.SuppressedDuringBeamTrip)
        {
            _beamOff = !beamOn;
            return UpdateSuppression(at);
        }

        return Rule.Beam == BeamCondition.OnlyWhileBeamOn && !beamOn ? Judge(false, at, beamOn) : null;
    }

    /// <summary>After a restore the delays start from the restored condition.</summary>
    public void SyncWithMachine()
    {
        _delayedActive = Machine.ConditionActive;
        _pendingSince = null;
    }

    private AlarmTransition? Promote(DateTimeOffset now)
    {
        if (_pendingSince is not { } since)
        {
            return null;
        }

        var target = !_delayedActive;
        if (now - since < (target ? Rule.OnDelay : Rule.OffDelay))
        {
            return null;
        }

        _delayedActive = target;
        _pendingSince = null;
        return Machine.SetCondition(target, now, Evaluator.Measure);
    }

    private AlarmTransition? UpdateSuppression(DateTimeOffset now)
    {
        var moving = _movingUntil is { } until && now < until;
        var suppressed = moving || _beamOff;
        if (suppressed == Machine.Suppressed)
        {
            return null;
        }

        var reason = suppressed
            ? moving ? $"{Rule.SuppressWhileMoving!.Channel} is moving" : "beam off"
            : "suppression by design ended";
        return Machine.SetSuppressed(suppressed, now, reason);
    }

    private static void Add(List<AlarmTransition> output, AlarmTransition? transition)
    {
        if (transition is not null)
        {
            output.Add(transition);
        }
    }
}
