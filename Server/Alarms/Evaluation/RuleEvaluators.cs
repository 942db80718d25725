using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms.Evaluation;

/// <summary>
/// The raw condition of one rule from its readings, before delays and alarm states. Not
/// thread-safe: the engine calls it under its lock.
/// </summary>
internal abstract class RuleEvaluator
{
    /// <summary>The figure shown with the alarm: the value, the deviation, the slope, the hours left…</summary>
    public double? Measure { get; protected set; }

    /// <summary>True or false once the rule can judge; null while it cannot (no baseline yet, one channel missing).</summary>
    public abstract bool? OnReading(string channel, DateTimeOffset at, double value);

    /// <summary>Conditions that change with time alone (silence); null when time changes nothing.</summary>
    public virtual bool? OnTime(DateTimeOffset now) => null;

    public static RuleEvaluator For(AlarmRule rule, DateTimeOffset loadedAt) => rule switch
    {
        LimitRule limit => new LimitEvaluator(limit),
        RateOfChangeRule rate => new RateOfChangeEvaluator(rate),
        SetpointDeviationRule deviation => new SetpointDeviationEvaluator(deviation),
        BaselineRule baseline => new BaselineEvaluator(baseline),
        StaleRule stale => new StaleEvaluator(stale, loadedAt),
        ForecastRule forecast => new ForecastEvaluator(forecast),
        StateRule state => new StateEvaluator(state),
        _ => throw new ArgumentException($"No evaluator for rule kind {rule.GetType().Name}.", nameof(rule)),
    };
}

internal sealed class LimitEvaluator(LimitRule rule) : RuleEvaluator
{
    private readonly double _high = rule.High ?? double.PositiveInfinity;
    private readonly double _low = rule.Low ?? double.NegativeInfinity;
    private readonly double _deadband = rule.Deadband;
    private bool _raised;

    public override bool? OnReading(string channel, DateTimeOffset at, double value)
    {
        Measure = value;
        var band = _raised ? _deadband : 0;
        _raised = value > _high - band || value < _low + band;
        return _raised;
    }
}

internal sealed class RateOfChangeEvaluator(RateOfChangeRule rule) : RuleEvaluator
{
    private const int Buckets = 60;
    private readonly SlopeWindow _window = new(rule.Window, Buckets);
    private readonly TimeSpan _minSpan = rule.Window * rule.MinCoverage;

    public override bool? OnReading(string channel, DateTimeOffset at, double value)
    {
        _window.Add(at, value);
        if (!_window.TryFit(out var slope, out _, out var span) || span < _minSpan)
        {
            return null;
        }

        Measure = slope;
        return Math.Abs(slope) > rule.MaxPerHour;
    }
}

internal sealed class SetpointDeviationEvaluator(SetpointDeviationRule rule) : RuleEvaluator
{
    private double? _readback;
    private double? _setpoint;
    private bool _raised;

    public override bool? OnReading(string channel, DateTimeOffset at, double value)
    {
        if (string.Equals(channel, rule.SetpointChannel, StringComparison.Ordinal))
        {
            _setpoint = value;
        }
        else
        {
            _readback = value;
        }

        if (_readback is not { } read || _setpoint is not { } set)
        {
            return null;
        }

        Measure = read - set;
        var band = _raised ? rule.Deadband : 0;
        if (set <= rule.ArmedAbove)
        {
            _raised = false;
        }
        else if (rule.MaxDeviation is { } max)
        {
            _raised = Math.Abs(read - set) > max - band;
        }
        else if (rule.TripBelow is { } trip)
        {
            _raised = read < trip + band;
        }

        return _raised;
    }
}

internal sealed class BaselineEvaluator(BaselineRule rule) : RuleEvaluator
{
    private readonly BucketedMedian _history = new(rule.Window, rule.Buckets);

    /// <summary>The median the last reading was judged against.</summary>
    public double? Baseline => _history.Median;

    public override bool? OnReading(string channel, DateTimeOffset at, double value)
    {
        Measure = value;
        var baseline = _history.Median;
        _history.Add(at, value);
        if (rule.Floor is { } floor && value <= floor)
        {
            return true;
        }

        if (rule.HighFactor is null && rule.LowFactor is null)
        {
            return false;
        }

        if (baseline is not { } median || median <= 0)
        {
            // A dead channel has a zero median: no ratio can be judged against it.
            return rule.Floor is null ? null : false;
        }

        return (rule.HighFactor is { } high && value > high * median)
            || (rule.LowFactor is { } low && value < low * median);
    }
}

internal sealed class StaleEvaluator(StaleRule rule, DateTimeOffset loadedAt) : RuleEvaluator
{
    private DateTimeOffset _lastSeen = loadedAt;

    public void Seen(DateTimeOffset at)
    {
        if (at > _lastSeen)
        {
            _lastSeen = at;
        }
    }

    public override bool? OnReading(string channel, DateTimeOffset at, double value)
    {
        Seen(at);
        return OnTime(at);
    }

    public override bool? OnTime(DateTimeOffset now)
    {
        var silence = now - _lastSeen;
        Measure = Math.Max(0, silence.TotalSeconds);
        return silence > rule.MaxSilence;
    }
}

internal sealed class ForecastEvaluator(ForecastRule rule) : RuleEvaluator
{
    private const int Buckets = 60;
    private readonly SlopeWindow _window = new(rule.Window, Buckets);
    private readonly TimeSpan _minSpan = rule.Window * rule.MinCoverage;

    public override bool? OnReading(string channel, DateTimeOffset at, double value)
    {
        _window.Add(at, value);
        if (value <= rule.EmptyAt)
        {
            Measure = 0;
            return true;
        }

        if (!_window.TryFit(out var slope, out var fitted, out var span) || span < _minSpan)
        {
            return null;
        }

        if (slope >= 0)
        {
            Measure = null;
            return false;
        }

        var hoursLeft = Math.Max(0, (fitted - rule.EmptyAt) / -slope);
        Measure = hoursLeft;
        return hoursLeft < rule.Horizon.TotalHours;
    }
}

internal sealed class StateEvaluator(StateRule rule) : RuleEvaluator
{
    private const double Tolerance = 1e-6;

    public override bool? OnReading(string channel, DateTimeOffset at, double value)
    {
        Measure = value;
        return Math.Abs(value - rule.Code) < Tolerance;
    }
}
