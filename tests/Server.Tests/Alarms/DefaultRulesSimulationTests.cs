using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms;

/// <summary>The default rules against the simulated platform: silent when healthy, loud on each fault.</summary>
public sealed class DefaultRulesSimulationTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    [Fact]
    public void DefaultRules_AllValid() =>
        Assert.True(RuleValidator.ValidateAll(DefaultRules.Create(new AlarmOptions())).IsValid);

    [Theory]
    [InlineData(20260101)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Soak_HealthyPlatformFor24Hours_RaisesNoAlarm(int seed)
    {
        var run = new SimulatedRun(seed);

        run.RunFor(TimeSpan.FromHours(24));

        Assert.True(run.Sink.Transitions.Count == 0, Describe(run.Sink.Transitions));
        Assert.True(run.Platform.BeamTrips > 0, "The soak should include spontaneous beam trips.");
    }

    [Theory]
    [InlineData(FaultNames.DewarWarmup, "cryo.temp.sd1.high-warn", 60)]
    [InlineData(FaultNames.DewarWarmup, "cryo.temp.sd1.drift", 60)]
    [InlineData(FaultNames.Ln2Leak, "cryo.ln2.level.empty-forecast", 90)]
    [InlineData(FaultNames.Ln2Leak, "cryo.ln2.level.low-warn", 180)]
    [InlineData(FaultNames.HvTrip, "pmt.sd1a.hv.read.tripped", 1)]
    [InlineData(FaultNames.HvTrip, "pmt.sd1b.hv.read.tripped", 1)]
    [InlineData(FaultNames.HvTrip, "pmt.sd1a.darkrate.dead", 2)]
    [InlineData(FaultNames.PmtNoisy, "pmt.sd2a.darkrate.high-alarm", 5)]
    [InlineData(FaultNames.FlappingSensor, "cryo.temp.dewar_top.high-warn", 2)]
    public void Fault_OnHealthyPlatform_RaisesItsRuleInTime(string fault, string ruleId, int withinMinutes)
    {
        var run = new SimulatedRun();
        run.RunFor(TimeSpan.FromMinutes(30));
        Assert.Empty(run.Sink.Transitions);

        run.Platform.Faults.Set(fault);
        run.RunUntil(() => run.Engine.Find(ruleId)!.State == AlarmState.ActiveUnacknowledged, TimeSpan.FromMinutes(withinMinutes));

        Assert.Equal(AlarmState.ActiveUnacknowledged, run.Engine.Find(ruleId)!.State);
    }

    [Fact]
    public void BeamTrip_TenMinutesThenRamp_RaisesNothing()
    {
        var run = new SimulatedRun();
        run.RunFor(TimeSpan.FromMinutes(30));

        run.Platform.Faults.Set(FaultNames.BeamTrip);
        run.RunFor(TimeSpan.FromMinutes(10));
        run.Platform.Faults.Clear(FaultNames.BeamTrip);
        run.RunFor(TimeSpan.FromMinutes(15));

        Assert.True(run.Sink.Transitions.Count == 0, Describe(run.Sink.Transitions));
    }

    [Fact]
    public void AgentSilent_TwoMinutes_RaisesWarningThenAlarm()
    {
        var run = new SimulatedRun();
        run.RunFor(TimeSpan.FromMinutes(5));

        run.SilenceFor(TimeSpan.FromSeconds(125));

        Assert.Equal(
            ["agent.platform-1.silent-warn", "agent.platform-1.silent-alarm"],
            run.Sink.Transitions.Where(t => t.To == AlarmState.ActiveUnacknowledged).Select(t => t.RuleId));
    }

    private static string Describe(IReadOnlyList<AlarmTransition> transitions) =>
        string.Join(Environment.NewLine, transitions.Take(20).Select(t => $"{t.At:HH:mm:ss} {t.RuleId} {t.From}→{t.To} value {t.Value}"));

    private sealed class SimulatedRun
    {
        private long _seq;

        public SimulatedRun(int seed = 20260101)
        {
            Time = new FakeTimeProvider(EngineHarness.Start);
            var options = new AlarmOptions { Agents = ["platform-1"] };
            Platform = new SimulatedPlatform(new SimulatedPlatformOptions { Seed = seed }, Time);
            Engine = new AlarmEngine(Options.Create(options), Time, [Sink]);
            Assert.True(Engine.ReplaceRules(DefaultRules.Create(options)).IsValid);
        }

        public FakeTimeProvider Time { get; }

        public SimulatedPlatform Platform { get; }

        public AlarmEngine Engine { get; }

        public RecordingTransitionSink Sink { get; } = new();

        /// <summary>The clock runs and the engine ticks, but the agent publishes nothing.</summary>
        public void SilenceFor(TimeSpan duration)
        {
            for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += Step)
            {
                Time.Advance(Step);
                Engine.Tick(Time.GetUtcNow());
            }
        }

        public void RunFor(TimeSpan duration) => RunUntil(() => false, duration);

        public void RunUntil(Func<bool> done, TimeSpan limit)
        {
            for (var elapsed = TimeSpan.Zero; elapsed < limit && !done(); elapsed += Step)
            {
                Time.Advance(Step);
                var now = Time.GetUtcNow();
                var readings = Platform.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
                Engine.Apply(new AcceptedReadings(Platform.Options.AgentId, now, ++_seq, false, readings));
                Engine.Tick(now);
            }
        }
    }
}
