using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>
/// Decides what goes out and to whom: filters severities, notifies an occurrence once (also while it
/// flaps), groups by group key, applies silences and escalates what stays unacknowledged. Not thread
/// safe: <see cref="NotificationWriter"/> calls it under its lock. Memory is bounded by caps on every map.
/// </summary>
public sealed class NotificationPlanner
{
    internal const int MaxTracked = 10_000;
    internal const int MaxAlarmsListedPerGroup = 100;

    private readonly NotificationOptions _options;
    private readonly NotificationComposer _composer;
    private readonly HashSet<AlarmSeverity> _notifyOn;
    private readonly TimeSpan _groupWindow;
    private readonly TimeSpan _escalateAfter;
    private readonly Dictionary<string, DateTimeOffset> _notified = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _flappingRules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Escalation> _unacknowledged = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, NotificationKind Kind), PendingGroup> _groups = [];

    public NotificationPlanner(NotificationOptions options)
    {
        _options = options;
        _composer = new NotificationComposer(options.DashboardUrl);
        _notifyOn = [.. options.EffectiveNotifyOn];
        _groupWindow = TimeSpan.FromSeconds(options.GroupWindowSeconds);
        _escalateAfter = TimeSpan.FromMinutes(options.EscalateAfterMinutes);
    }

    /// <summary>Alarms waiting for an acknowledgement that may still escalate.</summary>
    public int EscalationsPending => _unacknowledged.Count;

    /// <summary>Messages to write now for one transition, received at <paramref name="now"/>.</summary>
    public IReadOnlyList<OutboxMessage> Accept(AlarmTransition transition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (transition.To == AlarmState.ActiveUnacknowledged)
        {
            return Activated(transition, now);
        }

        // The episode is the rule's: it can outlast an occurrence acknowledged back to normal between flaps.
        if (transition.Flapping)
        {
            Remember(_flappingRules, transition.RuleId, now);
        }
        else
        {
            _flappingRules.Remove(transition.RuleId);
        }

        if (transition.To != AlarmState.ReturnedUnacknowledged)
        {
            // Acknowledged, back to normal, shelved, suppressed or out of service: someone knows, or nobody needs to.
            _unacknowledged.Remove(transition.AlarmId);
        }

        // Back to normal or hidden ends the occurrence: the next activation brings a new alarm id.
        var wasNotified = transition.To is AlarmState.Normal or AlarmState.Shelved or AlarmState.SuppressedByDesign or AlarmState.OutOfService
            && _notified.Remove(transition.AlarmId);
        if (wasNotified && transition.To == AlarmState.Normal && _options.NotifyCleared && !IsSilenced(transition))
        {
            return Route(NotificationKind.Cleared, transition, now);
        }

        return [];
    }

    /// <summary>Groups whose window closed and escalations that fell due by <paramref name="now"/>.</summary>
    public IReadOnlyList<OutboxMessage> Due(DateTimeOffset now)
    {
        var messages = new List<OutboxMessage>();
        foreach (var (key, group) in _groups.Where(g => g.Value.Deadline <= now).ToList())
        {
            _groups.Remove(key);
            messages.AddRange(FirstLevel(new NotificationContent(key.Kind, group.Alarms, group.Count, key.Key)));
        }

        if (_escalateAfter > TimeSpan.Zero)
        {
            foreach (var (alarmId, escalation) in _unacknowledged.Where(e => now - e.Value.LastNotified >= _escalateAfter).ToList())
            {
                var level = escalation.Level + 1;
                if (level >= _options.Roster.Count)
                {
                    _unacknowledged.Remove(alarmId);
                    continue;
                }

                var entry = _options.Roster[level];
                var content = new NotificationContent(NotificationKind.Escalated, [escalation.Alarm], 1, escalation.Alarm.GroupKey, entry.Name);
                messages.AddRange(Address(content, Personal(entry), silenced: false));
                _unacknowledged[alarmId] = escalation with { Level = level, LastNotified = now };
            }
        }

        return messages;
    }

    /// <summary>Every open group at once: at shutdown, so that nothing waits in memory.</summary>
    public IReadOnlyList<OutboxMessage> FlushAll()
    {
        var messages = new List<OutboxMessage>();
        foreach (var (key, group) in _groups)
        {
            messages.AddRange(FirstLevel(new NotificationContent(key.Kind, group.Alarms, group.Count, key.Key)));
        }

        _groups.Clear();
        return messages;
    }

    private List<OutboxMessage> Activated(AlarmTransition transition, DateTimeOffset now)
    {
        if (!_notifyOn.Contains(transition.Severity))
        {
            return [];
        }

        // One message per occurrence: the id survives flapping; a flap episode that outlives its
        // occurrence is caught by the rule still being marked as flapping.
        var alreadyNotified = _notified.ContainsKey(transition.AlarmId) || (transition.Flapping && _flappingRules.ContainsKey(transition.RuleId));
        if (transition.Flapping)
        {
            Remember(_flappingRules, transition.RuleId, now);
        }
        else
        {
            _flappingRules.Remove(transition.RuleId);
        }

        if (alreadyNotified)
        {
            return [];
        }

        Remember(_notified, transition.AlarmId, now);

        if (IsSilenced(transition))
        {
            return FirstLevel(new NotificationContent(NotificationKind.Activated, [transition], 1, transition.GroupKey), silenced: true);
        }

        if (_escalateAfter > TimeSpan.Zero && _options.Roster.Count > 1)
        {
            if (_unacknowledged.Count >= MaxTracked)
            {
                _unacknowledged.Remove(_unacknowledged.MinBy(e => e.Value.LastNotified).Key);
            }

            _unacknowledged[transition.AlarmId] = new Escalation(transition, 0, now);
        }

        return Route(NotificationKind.Activated, transition, now);
    }

    private List<OutboxMessage> Route(NotificationKind kind, AlarmTransition transition, DateTimeOffset now)
    {
        if (transition.GroupKey is null || _groupWindow <= TimeSpan.Zero)
        {
            return FirstLevel(new NotificationContent(kind, [transition], 1, transition.GroupKey));
        }

        var key = (transition.GroupKey, kind);
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new PendingGroup(now + _groupWindow);
            _groups[key] = group;
        }

        group.Add(transition);
        return [];
    }

    private List<OutboxMessage> FirstLevel(NotificationContent content, bool silenced = false)
    {
        var targets = new List<(string Channel, string Target, WebhookKind Kind)>();
        if (_options.Roster.Count > 0)
        {
            targets.AddRange(Personal(_options.Roster[0]));
        }

        var personal = _options.Roster.Select(r => r.Webhook).OfType<string>().ToHashSet(StringComparer.Ordinal);
        targets.AddRange(_options.Webhooks.Where(w => !personal.Contains(w.Name)).Select(w => (NotificationChannels.Webhook, w.Name, w.Kind)));
        return Address(content, targets.Distinct(), silenced);
    }

    private IEnumerable<(string Channel, string Target, WebhookKind Kind)> Personal(OnCallEntry entry)
    {
        if (!string.IsNullOrWhiteSpace(entry.Email))
        {
            yield return (NotificationChannels.Email, entry.Email, WebhookKind.Generic);
        }

        if (!string.IsNullOrWhiteSpace(entry.Webhook) && _options.Webhooks.FirstOrDefault(w => w.Name == entry.Webhook) is { } webhook)
        {
            yield return (NotificationChannels.Webhook, webhook.Name, webhook.Kind);
        }
    }

    private List<OutboxMessage> Address(NotificationContent content, IEnumerable<(string Channel, string Target, WebhookKind Kind)> targets, bool silenced)
    {
        var subject = _composer.Subject(content);
        var messages = new List<OutboxMessage>();
        foreach (var (channel, target, kind) in targets)
        {
            var body = channel == NotificationChannels.Email ? _composer.EmailBody(content) : _composer.WebhookBody(content, kind);
            messages.Add(new OutboxMessage(channel, target, subject, body, content.GroupKey, content.AlarmIds, silenced));
        }

        return messages;
    }

    private bool IsSilenced(AlarmTransition transition) => _options.Silences.Any(s => s.Covers(transition.RuleId, transition.At));

    private static void Remember(Dictionary<string, DateTimeOffset> map, string key, DateTimeOffset now)
    {
        if (map.Count >= MaxTracked)
        {
            map.Remove(map.MinBy(e => e.Value).Key);
        }

        map[key] = now;
    }

    private sealed record Escalation(AlarmTransition Alarm, int Level, DateTimeOffset LastNotified);

    private sealed class PendingGroup(DateTimeOffset deadline)
    {
        private readonly List<AlarmTransition> _alarms = [];

        public DateTimeOffset Deadline { get; } = deadline;

        public IReadOnlyList<AlarmTransition> Alarms => _alarms;

        public int Count { get; private set; }

        public void Add(AlarmTransition transition)
        {
            Count++;
            if (_alarms.Count < MaxAlarmsListedPerGroup)
            {
                _alarms.Add(transition);
            }
        }
    }
}
