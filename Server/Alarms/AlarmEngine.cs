using Clovers.Monitor.Server.Alarms.Evaluation;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms;

/// <summary>
/// Evaluates alarm rules on every accepted reading (a pipeline stage) and on a timer
/// (<see cref="Tick"/>), and keeps each rule's ISA-18.2 alarm state. Rules are indexed by channel,
/// so a reading costs only the rules that name its channel. Thread-safe: the pipeline, the timer
/// and API requests may call at once; one lock keeps transitions in order. Memory is bounded by the
/// rules: readings of channels no rule names are dropped at the door.
/// </summary>
public sealed class AlarmEngine : IIngestStage
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly AlarmOptions _options;
    private readonly FlapPolicy _flap;
    private readonly IReadOnlyList<IAlarmTransitionSink> _sinks;
    private readonly ILogger<AlarmEngine> _logger;
    private readonly List<AlarmTransition> _output = [];
    private Dictionary<string, ChannelRoute> _routes = new(StringComparer.Ordinal);
    private Dictionary<string, RuleRuntime> _byId = new(StringComparer.Ordinal);
    private Dictionary<string, RuleRuntime[]> _byAgent = new(StringComparer.Ordinal);
    private RuleRuntime[] _all = [];
    private RuleRuntime[] _beamGated = [];
    private IReadOnlyList<AlarmRule> _rules = [];
    private bool? _beamOn;
    private long _sinkFailures;

    public AlarmEngine(
        IOptions<AlarmOptions> options,
        TimeProvider time,
        IEnumerable<IAlarmTransitionSink> sinks,
        ILogger<AlarmEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _flap = new FlapPolicy(_options.FlapActivations, TimeSpan.FromMinutes(_options.FlapWindowMinutes));
        _sinks = [.. sinks];
        _logger = logger ?? NullLogger<AlarmEngine>.Instance;
    }

    public string Name => "alarms";

    public int QueueDepth => 0;

    /// <summary>Transitions a sink threw on.</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>Every loaded rule, disabled ones included, in the order given.</summary>
    public IReadOnlyList<AlarmRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return _rules;
            }
        }
    }

    /// <summary>Alarms not in <see cref="AlarmState.Normal"/> (active, latched, shelved, suppressed, out of service).</summary>
    public IReadOnlyList<AlarmView> Active
    {
        get
        {
            lock (_gate)
            {
                return [.. _all.Where(r => r.Machine.State != AlarmState.Normal).Select(r => r.Machine.ToView())];
            }
        }
    }

    /// <summary>Every enabled rule's alarm.</summary>
    public IReadOnlyList<AlarmView> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _all.Select(r => r.Machine.ToView())];
            }
        }
    }

    public AlarmView? Find(string ruleId)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(ruleId, out var runtime) ? runtime.Machine.ToView() : null;
        }
    }

    public ValueTask ProcessAsync(IngestItem item, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case AcceptedReadings readings:
                Apply(readings);
                break;
            case AgentStatusChanged { Status.State: AgentLifecycle.Online } status:
                ReportAgentHeartbeat(status.AgentId, status.ReceivedAt);
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Evaluates a batch. Historical (replayed) readings feed rule histories (baselines, slopes)
    /// but never move an alarm: they describe a past that was not watched live.
    /// </summary>
    public void Apply(AcceptedReadings batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            if (!batch.Historical)
            {
                Heartbeat(batch.AgentId, batch.ReceivedAt);
            }

            var readings = batch.Readings;
            for (var i = 0; i < readings.Count; i++)
            {
                Evaluate(readings[i], batch.Historical);
            }

            Flush();
        }
    }

    /// <summary>Any message of an agent proves it alive; its heartbeat rules start counting silence again.</summary>
    public void ReportAgentHeartbeat(string agentId, DateTimeOffset at)
    {
        lock (_gate)
        {
            Heartbeat(agentId, at);
            Flush();
        }
    }

    /// <summary>Time-driven work: silence, delays that expire without a reading, shelve expiry, suppression settling.</summary>
    public void Tick(DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var runtime in _all)
            {
                runtime.OnTick(now, _beamOn, _output);
            }

            Flush();
        }
    }

    /// <summary>
    /// Validates the whole set and, only if every rule is valid, swaps it in atomically. Alarms of
    /// rules that stay keep their state (an edited rule starts its history afresh); alarms of
    /// removed or disabled rules return to normal.
    /// </summary>
    public RuleValidationResult ReplaceRules(IEnumerable<AlarmRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToList();
        var validation = RuleValidator.ValidateAll(list);
        if (!validation.IsValid)
        {
            return validation;
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var byId = new Dictionary<string, RuleRuntime>(StringComparer.Ordinal);
            foreach (var rule in list.Where(r => r.Enabled))
            {
                if (_byId.TryGetValue(rule.Id, out var existing))
                {
                    if (existing.Rule == rule)
                    {
                        byId[rule.Id] = existing;
                        continue;
                    }

                    existing.Machine.Rule = rule;
                    byId[rule.Id] = new RuleRuntime(rule, RuleEvaluator.For(rule, now), existing.Machine);
                }
                else
                {
                    byId[rule.Id] = new RuleRuntime(rule, RuleEvaluator.For(rule, now), new AlarmStateMachine(rule, _flap, now));
                }
            }

            foreach (var (id, old) in _byId)
            {
                if (!byId.ContainsKey(id) && old.Machine.State != AlarmState.Normal)
                {
                    var view = old.Machine.ToView();
                    _output.Add(new AlarmTransition(view.AlarmId, id, view.State, AlarmState.Normal, now, AlarmTransition.System, view.Value, "rule removed or disabled")
                    {
                        RuleName = view.Name,
                        Severity = view.Severity,
                        GroupKey = view.GroupKey,
                    });
                }
            }

            Index(byId.Values.ToArray());
            _byId = byId;
            _rules = list;
            Flush();
        }

        return validation;
    }

    public AlarmOperationResult Acknowledge(string ruleId, string user, string? comment = null) =>
        Operate(ruleId, user, (m, now) => (m.Acknowledge(user, comment, now, out var t), t));

    public AlarmOperationResult Shelve(string ruleId, string user, DateTimeOffset until, string reason)
    {
        var longest = TimeSpan.FromHours(_options.MaxShelveHours);
        return Operate(ruleId, user, (m, now) => until - now > longest
            ? (AlarmOperationResult.Refused($"Shelving is limited to {_options.MaxShelveHours} h."), null)
            : (m.ShelveUntil(user, until, reason, now, out var t), t));
    }

    public AlarmOperationResult Unshelve(string ruleId, string user, string? comment = null) =>
        Operate(ruleId, user, (m, now) => (m.Unshelve(user, comment, now, out var t), t));

    public AlarmOperationResult SetOutOfService(string ruleId, string user, string? comment = null) =>
        Operate(ruleId, user, (m, now) => (m.SetOutOfService(user, comment, now, out var t), t));

    public AlarmOperationResult ReturnToService(string ruleId, string user, string? comment = null) =>
        Operate(ruleId, user, (m, now) => (m.ReturnToService(user, comment, now, out var t), t));

    /// <summary>The state of every enabled rule's alarm, for persistence.</summary>
    public IReadOnlyList<AlarmStateSnapshot> Snapshot()
    {
        lock (_gate)
        {
            return [.. _all.Select(r => r.Machine.ToSnapshot())];
        }
    }

    /// <summary>
    /// Takes over stored states after a restart, silently. Snapshots of rules not loaded are
    /// skipped; returns how many were restored. Load the rules first.
    /// </summary>
    public int Restore(IEnumerable<AlarmStateSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var restored = 0;
            foreach (var snapshot in snapshots)
            {
                if (snapshot is not null && _byId.TryGetValue(snapshot.RuleId, out var runtime))
                {
                    runtime.Machine.Restore(snapshot, now);
                    runtime.SyncWithMachine();
                    restored++;
                }
            }

            return restored;
        }
    }

    private AlarmOperationResult Operate(string ruleId, string user, Func<AlarmStateMachine, DateTimeOffset, (AlarmOperationResult Result, AlarmTransition? Transition)> operation)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return AlarmOperationResult.Refused("An operation needs the name of the user who asks for it.");
        }

        lock (_gate)
        {
            if (!_byId.TryGetValue(ruleId, out var runtime))
            {
                return AlarmOperationResult.Refused($"No enabled rule '{ruleId}'.");
            }

            var (result, transition) = operation(runtime.Machine, _time.GetUtcNow());
            if (transition is not null)
            {
                _output.Add(transition);
            }

            Flush();
            return result;
        }
    }

    private void Evaluate(Reading reading, bool historical)
    {
        if (reading.Quality == Quality.Bad || !_routes.TryGetValue(reading.Channel, out var route))
        {
            return;
        }

        if (route.IsBeam && !historical)
        {
            UpdateBeam(reading);
        }

        foreach (var runtime in route.Suppressed)
        {
            Add(runtime.OnSuppressorReading(reading.Timestamp, reading.Value, historical));
        }

        foreach (var runtime in route.Evaluated)
        {
            Add(runtime.OnReading(reading.Channel, reading.Timestamp, reading.Value, historical, _beamOn));
        }
    }

    private void UpdateBeam(Reading reading)
    {
        var on = reading.Value > _options.BeamOnKilowatts;
        if (_beamOn == on)
        {
            return;
        }

        _beamOn = on;
        foreach (var runtime in _beamGated)
        {
            Add(runtime.OnBeamChanged(on, reading.Timestamp));
        }
    }

    private void Heartbeat(string agentId, DateTimeOffset at)
    {
        if (!_byAgent.TryGetValue(agentId, out var runtimes))
        {
            return;
        }

        foreach (var runtime in runtimes)
        {
            var stale = (StaleEvaluator)runtime.Evaluator;
            stale.Seen(at);
            if (stale.OnTime(at) is { } condition)
            {
                Add(runtime.Judge(condition, at, _beamOn));
            }
        }
    }

    private void Index(RuleRuntime[] runtimes)
    {
        var evaluated = new Dictionary<string, List<RuleRuntime>>(StringComparer.Ordinal);
        var suppressed = new Dictionary<string, List<RuleRuntime>>(StringComparer.Ordinal);
        var byAgent = new Dictionary<string, List<RuleRuntime>>(StringComparer.Ordinal);
        foreach (var runtime in runtimes)
        {
            foreach (var channel in runtime.Rule.Channels.Distinct(StringComparer.Ordinal))
            {
                AddTo(evaluated, channel, runtime);
            }

            if (runtime.Rule.SuppressWhileMoving is { } suppression)
            {
                AddTo(suppressed, suppression.Channel, runtime);
            }

            if (runtime.Rule is StaleRule { AgentId: { } agent })
            {
                AddTo(byAgent, agent, runtime);
            }
        }

        var routes = new Dictionary<string, ChannelRoute>(StringComparer.Ordinal);
        foreach (var channel in evaluated.Keys.Union(suppressed.Keys).Append(_options.BeamChannel))
        {
            routes[channel] = new ChannelRoute(
                string.Equals(channel, _options.BeamChannel, StringComparison.Ordinal),
                evaluated.TryGetValue(channel, out var e) ? [.. e] : [],
                suppressed.TryGetValue(channel, out var s) ? [.. s] : []);
        }

        _routes = routes;
        _byAgent = byAgent.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        _all = runtimes;
        _beamGated = [.. runtimes.Where(r => r.Rule.Beam != BeamCondition.Any)];
        if (_beamOn is { } on)
        {
            foreach (var runtime in _beamGated)
            {
                Add(runtime.OnBeamChanged(on, _time.GetUtcNow()));
            }
        }
    }

    private static void AddTo(Dictionary<string, List<RuleRuntime>> map, string key, RuleRuntime runtime)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        list.Add(runtime);
    }

    private void Add(AlarmTransition? transition)
    {
        if (transition is not null)
        {
            _output.Add(transition);
        }
    }

    // Called under the lock, so every sink sees the transitions in the order they happened.
    private void Flush()
    {
        if (_output.Count == 0)
        {
            return;
        }

        foreach (var transition in _output)
        {
            foreach (var sink in _sinks)
            {
                try
                {
                    sink.Publish(transition);
                }
                catch (Exception exception)
                {
                    Interlocked.Increment(ref _sinkFailures);
                    _logger.LogError(exception, "Alarm sink {Sink} failed on {Alarm} {From} → {To}", sink.GetType().Name, transition.AlarmId, transition.From, transition.To);
                }
            }
        }

        _output.Clear();
    }

    private sealed record ChannelRoute(bool IsBeam, RuleRuntime[] Evaluated, RuleRuntime[] Suppressed);
}
