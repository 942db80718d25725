using BenchmarkDotNet.Attributes;
using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Benchmarks.Alarms;

/// <summary>
/// Evaluation cost per reading: 1,000 rules (limits, slopes, baselines, setpoint deviations) over
/// 1,000 channels, one batch of one reading per channel per second. Results are per reading
/// (OperationsPerInvoke). Building the batch is measured alone as the baseline: the pipeline
/// pays for it anyway when it deserialises a message.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class AlarmEngineBenchmarks
{
    private const int Channels = 1000;
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    private readonly double[] _noise = new double[Channels];
    private string[] _channelIds = [];
    private AlarmEngine _engine = null!;
    private long _second;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _channelIds = [.. Enumerable.Range(0, Channels).Select(i => $"bench.c{i:0000}")];
        for (var i = 0; i < Channels; i++)
        {
            _noise[i] = random.NextDouble();
        }

        _engine = new AlarmEngine(Options.Create(new AlarmOptions()), TimeProvider.System, [new CountingSink()]);
        var result = _engine.ReplaceRules(Enumerable.Range(0, Channels).Select(Rule));
        if (!result.IsValid)
        {
            throw new InvalidOperationException(string.Join(" ", result.Problems));
        }

        // An hour of history, so baselines and slopes judge rather than wait.
        for (var i = 0; i < 3600; i++)
        {
            Evaluate();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Channels)]
    public AcceptedReadings BuildBatchOnly() => Batch();

    [Benchmark(OperationsPerInvoke = Channels)]
    public int Evaluate()
    {
        var batch = Batch();
        _engine.Apply(batch);
        return batch.Readings.Count;
    }

    private AcceptedReadings Batch()
    {
        var at = Start.AddSeconds(++_second);
        var readings = new Reading[Channels];
        for (var i = 0; i < Channels; i++)
        {
            readings[i] = new Reading(_channelIds[i], at, 100 + _noise[(i + (int)(_second % Channels)) % Channels]);
        }

        return new AcceptedReadings("bench-agent", at, _second, false, readings);
    }

    private AlarmRule Rule(int i)
    {
        var channel = _channelIds[i];
        return (i % 10) switch
        {
            7 => new RateOfChangeRule($"{channel}.drift", "Drift", AlarmSeverity.Warning, channel) { MaxPerHour = 50, Window = TimeSpan.FromMinutes(30) },
            8 => new BaselineRule($"{channel}.baseline", "Baseline", AlarmSeverity.Warning, channel) { HighFactor = 2, LowFactor = 0.5, Window = TimeSpan.FromHours(1), Buckets = 60 },
            9 => new SetpointDeviationRule($"{channel}.deviation", "Deviation", AlarmSeverity.Warning, channel, _channelIds[i - 1]) { MaxDeviation = 5 },
            _ => new LimitRule($"{channel}.high", "High", AlarmSeverity.Warning, channel) { High = 150, Low = 50, Deadband = 1, OnDelay = TimeSpan.FromSeconds(10) },
        };
    }

    private sealed class CountingSink : IAlarmTransitionSink
    {
        public int Count { get; private set; }

        public void Publish(AlarmTransition transition) => Count++;
    }
}
