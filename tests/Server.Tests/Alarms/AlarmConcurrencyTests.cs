using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms;

public sealed class AlarmConcurrencyTests
{
    [Fact]
    public async Task Engine_PipelineTimerAndOperatorAtOnce_EveryRuleHistoryIsAnUnbrokenChain()
    {
        var time = new FakeTimeProvider(EngineHarness.Start);
        var sink = new RecordingTransitionSink(100_000);
        var engine = new AlarmEngine(Options.Create(new AlarmOptions()), time, [sink]);
        var channels = Enumerable.Range(0, 20).Select(i => $"test.c{i:00}").ToArray();
        engine.ReplaceRules(channels.Select(c => new LimitRule($"{c}.high", "High", AlarmSeverity.Warning, c) { High = 0.5 }));

        var pipeline = Task.Run(() =>
        {
            var random = new Random(1);
            for (var i = 0; i < 5000; i++)
            {
                var now = time.GetUtcNow();
                engine.Apply(new AcceptedReadings("platform-1", now, i, false, [.. channels.Select(c => new Reading(c, now, random.NextDouble()))]));
            }
        });
        var ticker = Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                engine.Tick(time.GetUtcNow());
            }
        });
        var operatorTask = Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                engine.Acknowledge($"{channels[i % channels.Length]}.high", "alice");
            }
        });
        await Task.WhenAll(pipeline, ticker, operatorTask);

        foreach (var rule in sink.Transitions.GroupBy(t => t.RuleId))
        {
            var chain = rule.ToList();
            Assert.Equal(AlarmState.Normal, chain[0].From);
            Assert.All(chain.Zip(chain.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
            Assert.Equal(engine.Find(rule.Key)!.State, chain[^1].To);
        }
    }
}
