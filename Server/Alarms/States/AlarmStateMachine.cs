using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms.States;

/// <summary>When an alarm counts as flapping: more than <paramref name="Activations"/> activations within <paramref name="Window"/>.</summary>
public sealed record FlapPolicy(int Activations, TimeSpan Window)
{
    public static FlapPolicy Default { get; } = new(5, TimeSpan.FromMinutes(10));
}

/// <summary>
/// The ISA-18.2 state of one rule's alarm. The process condition (after the rule's delays) and
/// the operator's acknowledgement make the four annunciated states; shelving, suppression by
/// design and out-of-service lie over them and hide the alarm. An alarm that leaves such a hiding
/// state while its condition holds annunciates afresh, unacknowledged. Every change of state is
/// returned as an <see cref="AlarmTransition"/>. Not thread-safe: the engine calls it under its lock.
/// </summary>
public sealed class AlarmStateMachine
{
    private readonly FlapPolicy _flap;
    private readonly Queue<DateTimeOffset> _activations = new();

    public AlarmStateMachine(AlarmRule rule, FlapPolicy flap, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(flap);
        Rule = rule;
        _flap = flap;
        AlarmId = rule.Id;
        Since = createdAt;
    }

    /// <summary>The rule as last loaded; replaced when rules are edited, the state stays.</summary>
    public AlarmRule Rule { get; set; }

    public string AlarmId { get; private set; }

    public bool ConditionActive { get; private set; }

    public bool Unacknowledged { get; private set; }

    public bool Suppressed { get; private set; }

    public bool OutOfService { get; private set; }

    public ShelveInfo? Shelve { get; private set; }

    public bool Flapping { get; private set; }

    public DateTimeOffset Since { get; private set; }

    public double? Value { get; private set; }

    public AlarmState State =>
        OutOfService ? AlarmState.OutOfService
        : Shelve is not null ? AlarmState.Shelved
        : Suppressed ? AlarmState.SuppressedByDesign
        : ConditionActive ? (Unacknowledged ? AlarmState.ActiveUnacknowledged : AlarmState.ActiveAcknowledged)
        : Unacknowledged ? AlarmState.ReturnedUnacknowledged
        : AlarmState.Normal;

    private bool Hidden => OutOfService || Shelve is not null || Suppressed;

    /// <summary>The rule's latest figure, shown with the alarm; changes no state.</summary>
    public void UpdateValue(double? value) => Value = value;

    /// <summary>The rule's condition after its delays became true or false.</summary>
    public AlarmTransition? SetCondition(bool active, DateTimeOffset at, double? value)
    {
        Value = value;
        if (active == ConditionActive)
        {
            return null;
        }

        if (active)
        {
            RecordActivation(at);
        }

        return Change(at, AlarmTransition.System, null, () =>
        {
            ConditionActive = active;
            if (active && !Hidden)
            {
                Unacknowledged = true;
            }
        });
    }

    public AlarmTransition? SetSuppressed(bool suppressed, DateTimeOffset at, string reason) =>
        suppressed == Suppressed ? null : Change(at, AlarmTransition.System, reason, () => Suppressed = suppressed);

    public AlarmOperationResult Acknowledge(string user, string? comment, DateTimeOffset at, out AlarmTransition? transition)
    {
        transition = null;
        if (State is not (AlarmState.ActiveUnacknowledged or AlarmState.ReturnedUnacknowledged))
        {
            return AlarmOperationResult.Refused($"Alarm '{Rule.Id}' is {State}: there is nothing to acknowledge.");
        }

        transition = Change(at, user, comment, () => Unacknowledged = false);
        return AlarmOperationResult.Ok;
    }

    public AlarmOperationResult ShelveUntil(string user, DateTimeOffset until, string reason, DateTimeOffset at, out AlarmTransition? transition)
    {
        transition = null;
        if (OutOfService)
        {
            return AlarmOperationResult.Refused($"Alarm '{Rule.Id}' is out of service: return it to service before shelving it.");
        }

        if (Shelve is { } current)
        {
            return AlarmOperationResult.Refused($"Alarm '{Rule.Id}' is already shelved until {current.Until:u} by {current.User}.");
        }

        if (until <= at)
        {
            return AlarmOperationResult.Refused($"Shelving until {until:u} ends in the past.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return AlarmOperationResult.Refused("Shelving needs a reason.");
        }

        transition = Change(at, user, reason, () => Shelve = new ShelveInfo(user, until, reason));
        return AlarmOperationResult.Ok;
    }

    public AlarmOperationResult Unshelve(string user, string? comment, DateTimeOffset at, out AlarmTransition? transition)
    {
        transition = null;
        if (Shelve is null)
        {
            return AlarmOperationResult.Refused($"Alarm '{Rule.Id}' is not shelved.");
        }

        transition = Change(at, user, comment, () => Shelve = null);
        return AlarmOperationResult.Ok;
    }

    public AlarmOperationResult SetOutOfService(string user, string? comment, DateTimeOffset at, out AlarmTransition? transition)
    {
        transition = null;
        if (OutOfService)
        {
            return AlarmOperationResult.Refused($"Alarm '{Rule.Id}' is already out of service.");
        }

        transition = Change(at, user, comment, () =>
        {
            OutOfService = true;
            Shelve = null;
        });
        return AlarmOperationResult.Ok;
    }

    public AlarmOperationResult ReturnToService(string user, string? comment, DateTimeOffset at, out AlarmTransition? transition)
    {
        transition = null;
        if (!OutOfService)
        {
            return AlarmOperationResult.Refused($"Alarm '{Rule.Id}' is in service.");
        }

        transition = Change(at, user, comment, () => OutOfService = false);
        return AlarmOperationResult.Ok;
    }

    /// <summary>Expires a shelve whose time is up, and lets a quiet alarm stop flapping.</summary>
    public AlarmTransition? Tick(DateTimeOffset now)
    {
        if (Flapping)
        {
            Forget(now);
            Flapping = _activations.Count > _flap.Activations;
        }

        return Shelve is { } shelve && shelve.Until <= now
            ? Change(now, AlarmTransition.System, "shelve expired", () => Shelve = null)
            : null;
    }

    public AlarmStateSnapshot ToSnapshot() =>
        new(Rule.Id, AlarmId, State, ConditionActive, Unacknowledged, OutOfService, Shelve, Since, Value, [.. _activations]);

    /// <summary>Takes over a stored state without announcing anything: the transitions were announced before the restart.</summary>
    public void Restore(AlarmStateSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        AlarmId = snapshot.AlarmId;
        ConditionActive = snapshot.ConditionActive;
        Unacknowledged = snapshot.Unacknowledged;
        OutOfService = snapshot.OutOfService;
        Shelve = snapshot.Shelve;
        Since = snapshot.Since;
        Value = snapshot.Value;
        _activations.Clear();
        foreach (var activation in snapshot.RecentActivations.Order().TakeLast(_flap.Activations + 1))
        {
            _activations.Enqueue(activation);
        }

        Forget(now);
        Flapping = _activations.Count > _flap.Activations;
    }

    public AlarmView ToView() =>
        new(AlarmId, Rule.Id, Rule.Name, Rule.Severity, State, ConditionActive, Flapping, Since, Value, Rule.GroupKey, Shelve);

    private AlarmTransition? Change(DateTimeOffset at, string user, string? comment, Action mutate)
    {
        var from = State;
        var wasHidden = Hidden;
        mutate();
        if (wasHidden && !Hidden)
        {
            Unacknowledged = ConditionActive;
        }
        else if (!wasHidden && Hidden)
        {
            Unacknowledged = false;
        }

        var to = State;
        if (from == to)
        {
            return null;
        }

        if (to == AlarmState.ActiveUnacknowledged && from is not (AlarmState.ReturnedUnacknowledged or AlarmState.ActiveAcknowledged))
        {
            AlarmId = $"{Rule.Id}@{at.UtcDateTime:yyyyMMdd'T'HHmmss.fff'Z'}";
        }

        Since = at;
        return new AlarmTransition(AlarmId, Rule.Id, from, to, at, user, Value, comment)
        {
            RuleName = Rule.Name,
            Severity = Rule.Severity,
            GroupKey = Rule.GroupKey,
            Flapping = Flapping,
            ConditionActive = ConditionActive,
        };
    }

    private void RecordActivation(DateTimeOffset at)
    {
        _activations.Enqueue(at);
        while (_activations.Count > _flap.Activations + 1)
        {
            _activations.Dequeue();
        }

        Forget(at);
        Flapping = _activations.Count > _flap.Activations;
    }

    private void Forget(DateTimeOffset now)
    {
        while (_activations.TryPeek(out var oldest) && now - oldest > _flap.Window)
        {
            _activations.Dequeue();
        }
    }
}
