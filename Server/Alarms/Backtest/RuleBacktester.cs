using System.Globalization;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Alarms.Backtest;

/// <summary>
/// Replays the stored history of one rule's channels through a fresh <see cref="AlarmEngine"/> on
/// its own clock and counts how often the alarm would have activated. The history is read
/// downsampled (at most <see cref="MaxBucketsPerChannel"/> buckets per channel), so the work is
/// bounded whatever the data rate, and the answer is an approximation at that resolution.
/// </summary>
public sealed class RuleBacktester(ITimeSeriesStore store, IOptions<AlarmOptions> options, TimeProvider time)
{
    /// <summary>The most a store answers in one query: about a minute per bucket over a week.</summary>
    public const int MaxBucketsPerChannel = BucketPlan.MaxBucketsLimit;

    private const string ReplayAgent = "backtest";
    private const int CancellationCheckInterval = 1_000;

    /// <summary>Replays the last <paramref name="days"/> days. The rule must be valid (see <see cref="RuleValidator"/>).</summary>
    public async Task<AlarmBacktestResult> RunAsync(AlarmRule rule, int days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, AlarmBacktestRequest.MinDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, AlarmBacktestRequest.MaxDays);

        var to = time.GetUtcNow();
        var from = to - TimeSpan.FromDays(days);
        var notes = new List<string>();
        var readings = new List<Reading>();
        var widest = TimeSpan.Zero;
        foreach (var channel in ChannelsOf(rule))
        {
            var history = await store.QueryAsync(channel, from, to, MaxBucketsPerChannel, cancellationToken);
            var before = readings.Count;
            AddReadings(rule, channel, history, readings);
            if (readings.Count == before)
            {
                notes.Add($"No stored readings of '{channel}' in the range.");
            }

            widest = history.BucketWidth > widest ? history.BucketWidth : widest;
        }

        var counter = new ActivationCounter(rule.Id);
        Replay(rule with { Enabled = true }, from, to, widest, readings, counter, cancellationToken);

        notes.Insert(0, Approximation(rule, widest));
        if (!rule.Enabled)
        {
            notes.Add("The rule is disabled; it was replayed as if enabled.");
        }

        if (rule is StaleRule { AgentId: not null })
        {
            notes.Add("Agent heartbeats are not stored, so a heartbeat rule cannot be backtested.");
        }

        return new AlarmBacktestResult(rule.Id, from, to, counter.Activations, counter.FirstAt, counter.LastAt, readings.Count, string.Join(" ", notes));
    }

    private IEnumerable<string> ChannelsOf(AlarmRule rule)
    {
        var channels = new List<string>(rule.Channels);
        if (rule.SuppressWhileMoving is { } suppression)
        {
            channels.Add(suppression.Channel);
        }

        if (rule.Beam != BeamCondition.Any)
        {
            channels.Add(options.Value.BeamChannel);
        }

        return channels.Distinct(StringComparer.Ordinal);
    }

    // One reading per bucket, at its middle. A limit rule sees the bucket's extreme when it crosses
    // a limit (so a spike inside a bucket still counts), else the mean; replaying min and max both
    // would invent a return and a second activation in every bucket an excursion starts in.
    private static void AddReadings(AlarmRule rule, string channel, HistoryResult history, List<Reading> readings)
    {
        var middle = history.BucketWidth / 2;
        foreach (var bucket in history.Buckets)
        {
            if (bucket.Count > 0 && bucket.Mean is { } mean)
            {
                readings.Add(new Reading(channel, bucket.Start + middle, Representative(rule, bucket, mean)));
            }
        }
    }

    private static double Representative(AlarmRule rule, HistoryBucket bucket, double mean)
    {
        if (rule is not LimitRule limit)
        {
            return mean;
        }

        if (limit.High is { } high && bucket.Max is { } max && max > high)
        {
            return max;
        }

        return limit.Low is { } low && bucket.Min is { } min && min < low ? min : mean;
    }

    private void Replay(
        AlarmRule rule,
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan step,
        List<Reading> readings,
        IAlarmTransitionSink sink,
        CancellationToken cancellationToken)
    {
        var clock = new ReplayClock(from);
        var engine = new AlarmEngine(options, clock, [sink]);
        var validation = engine.ReplaceRules([rule]);
        if (!validation.IsValid)
        {
            throw new ArgumentException(string.Join(" ", validation.Problems), nameof(rule));
        }

        // Ticks between readings let delays expire and silence show, as the live timer would.
        var tick = step > TimeSpan.Zero ? step : TimeSpan.FromMinutes(1);
        var nextTick = from + tick;
        readings.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        long seq = 0;
        var i = 0;
        while (i < readings.Count)
        {
            var at = readings[i].Timestamp;
            while (nextTick < at)
            {
                clock.Set(nextTick);
                engine.Tick(nextTick);
                nextTick += tick;
            }

            var batchEnd = i;
            while (batchEnd < readings.Count && readings[batchEnd].Timestamp == at)
            {
                batchEnd++;
            }

            clock.Set(at);
            engine.Apply(new AcceptedReadings(ReplayAgent, at, ++seq, false, readings.GetRange(i, batchEnd - i)));
            engine.Tick(at);
            if (seq % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            i = batchEnd;
        }

        while (nextTick < to)
        {
            clock.Set(nextTick);
            engine.Tick(nextTick);
            nextTick += tick;
        }
    }

    private static string Approximation(AlarmRule rule, TimeSpan width)
    {
        var seconds = width.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return rule is LimitRule
            ? $"Approximation: replayed one value per {seconds} s bucket, its maximum or minimum where that crosses a limit, else its mean."
            : $"Approximation: replayed the mean of each {seconds} s bucket.";
    }

    /// <summary>The replay's own time, moved only by the replay.</summary>
    private sealed class ReplayClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Set(DateTimeOffset now) => _now = now;

        public override DateTimeOffset GetUtcNow() => _now;
    }

    /// <summary>Counts transitions into active-unacknowledged: each is one activation an operator would have seen.</summary>
    private sealed class ActivationCounter(string ruleId) : IAlarmTransitionSink
    {
        public int Activations { get; private set; }

        public DateTimeOffset? FirstAt { get; private set; }

        public DateTimeOffset? LastAt { get; private set; }

        public void Publish(AlarmTransition transition)
        {
            if (transition.RuleId != ruleId || transition.To != AlarmState.ActiveUnacknowledged || transition.From == AlarmState.ActiveUnacknowledged)
            {
                return;
            }

            Activations++;
            FirstAt ??= transition.At;
            LastAt = transition.At;
        }
    }
}
