using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms;

/// <summary>An engine on a fake clock with a recording sink; feeds readings stamped with the clock.</summary>
internal sealed class EngineHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);
    public const string Agent = "platform-1";

    private long _seq;

    public EngineHarness(params AlarmRule[] rules)
        : this(new AlarmOptions(), rules)
    {
    }

    public EngineHarness(AlarmOptions options, params AlarmRule[] rules)
    {
        Time = new FakeTimeProvider(Start);
        Engine = new AlarmEngine(Options.Create(options), Time, [Sink]);
        var result = Engine.ReplaceRules(rules);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
    }

    public FakeTimeProvider Time { get; }

    public RecordingTransitionSink Sink { get; } = new();

    public AlarmEngine Engine { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public IReadOnlyList<AlarmTransition> Transitions => Sink.Transitions;

    public AlarmState StateOf(string ruleId) => Engine.Find(ruleId)?.State ?? throw new InvalidOperationException($"No rule {ruleId}.");

    public void Feed(string channel, double value, bool historical = false) =>
        Engine.Apply(new AcceptedReadings(Agent, Now, ++_seq, historical, [new Reading(channel, Now, value)]));

    public void FeedMany(params (string Channel, double Value)[] readings) =>
        Engine.Apply(new AcceptedReadings(Agent, Now, ++_seq, false, [.. readings.Select(r => new Reading(r.Channel, Now, r.Value))]));

    /// <summary>Advances the clock in steps, feeding the value each step and ticking the engine.</summary>
    public void Hold(string channel, double value, TimeSpan duration, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromSeconds(1);
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += s)
        {
            Time.Advance(s);
            Feed(channel, value);
            Engine.Tick(Now);
        }
    }

    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Engine.Tick(Now);
    }
}
