using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Physics;

namespace Clovers.Monitor.Server.Handover;

/// <summary>The arithmetic of the handover report, on downsampled history: pure functions, tested on their own.</summary>
public static class HandoverCalculations
{
    /// <summary>
    /// Integrates power (kW) over non-empty buckets of width <paramref name="bucketWidth"/>; gaps add
    /// nothing. Protons on target and exposure come from <see cref="ExposureIntegrator"/>, so the
    /// report and the exposure panel count them the same way.
    /// </summary>
    public static HandoverBeam Beam(IReadOnlyList<HistoryBucket> buckets, TimeSpan bucketWidth, HandoverOptions options)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(options);
        var hours = bucketWidth.TotalHours;
        double kilowattHours = 0, beamOnHours = 0, coveredHours = 0;
        foreach (var bucket in buckets)
        {
            if (bucket is not { Count: > 0, Mean: { } mean } || !double.IsFinite(mean))
            {
                continue;
            }

            var power = Math.Max(0, mean);
            coveredHours += hours;
            kilowattHours += power * hours;
            if (power > 0.01 * options.NominalBeamKilowatts)
            {
                beamOnHours += hours;
            }
        }

        var intervals = buckets.Select(b => new BeamPowerInterval(b.Start, bucketWidth, b.Count > 0 ? b.Mean : null, b.Min, b.Max));
        var exposure = ExposureIntegrator.Integrate(intervals, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, options.DetectorMassKilograms);
        var meanPower = coveredHours > 0 ? kilowattHours / coveredHours : 0;
        return new HandoverBeam(kilowattHours, exposure.ProtonsOnTarget, exposure.KilogramDays, beamOnHours, meanPower, coveredHours);
    }

    /// <summary>
    /// LN2 refills: the level (bucket means) climbing at least <paramref name="minRise"/> points above
    /// its lowest value since the last refill. A refill ends when the level falls back from its peak.
    /// </summary>
    public static IReadOnlyList<HandoverRefill> Refills(IReadOnlyList<HistoryBucket> buckets, double minRise)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var hysteresis = minRise / 5;
        var refills = new List<HandoverRefill>();
        (DateTimeOffset At, double Value)? low = null;
        (DateTimeOffset At, double From, double Peak)? rising = null;
        foreach (var bucket in buckets)
        {
            if (bucket is not { Count: > 0, Mean: { } level } || !double.IsFinite(level))
            {
                continue;
            }

            if (rising is { } r)
            {
                if (level >= r.Peak)
                {
                    rising = r with { Peak = level };
                }
                else if (level < r.Peak - hysteresis)
                {
                    refills.Add(new HandoverRefill(r.At, r.From, r.Peak));
                    rising = null;
                    low = (bucket.Start, level);
                }

                continue;
            }

            if (low is not { } l || level < l.Value)
            {
                low = (bucket.Start, level);
            }
            else if (level - l.Value >= minRise)
            {
                rising = (l.At, l.Value, level);
            }
        }

        if (rising is { } open)
        {
            refills.Add(new HandoverRefill(open.At, open.From, open.Peak));
        }

        return refills;
    }

    /// <summary>Changes of a setpoint: between consecutive non-empty buckets' last values, or within one bucket.</summary>
    public static IReadOnlyList<HandoverHvChange> SetpointChanges(string channel, IReadOnlyList<HistoryBucket> buckets, double minChange)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var changes = new List<HandoverHvChange>();
        double? previous = null;
        foreach (var bucket in buckets)
        {
            if (bucket is not { Count: > 0, Last: { } last, Min: { } min, Max: { } max })
            {
                continue;
            }

            if (previous is { } before)
            {
                if (Math.Abs(last - before) >= minChange || max - min >= minChange)
                {
                    changes.Add(new HandoverHvChange(channel, bucket.Start, before, last));
                }
            }
            else if (max - min >= minChange)
            {
                changes.Add(new HandoverHvChange(channel, bucket.Start, last == max ? min : max, last));
            }

            previous = last;
        }

        return changes;
    }

    /// <summary>
    /// Names the accepted HV command each setpoint change came from. A command matches a change of
    /// its PMT's <c>pmt.{pmt}.hv.set</c> when the agent accepted it (its completion time, else its
    /// request time) from <paramref name="tolerance"/> before the change's bucket to the bucket's
    /// end: the new setpoint shows up in the history only after it was accepted, and the bucket
    /// holds the first reading with it. Of several candidates the one that set the value the change
    /// ended at (within <paramref name="voltsTolerance"/>) wins, then the latest; a command explains
    /// one change at most. Changes without a command keep <see cref="HandoverHvChange.Command"/> null.
    /// </summary>
    public static IReadOnlyList<HandoverHvChange> AttributeCommands(
        IReadOnlyList<HandoverHvChange> changes,
        IReadOnlyList<ControlCommandView> commands,
        TimeSpan bucketWidth,
        TimeSpan tolerance,
        double voltsTolerance)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(commands);
        var unused = commands.Where(c => c.Outcome == ControlOutcome.Accepted).ToList();
        var ordered = changes.OrderBy(c => c.At).ToList();
        var found = new ControlCommandView?[ordered.Count];

        // First the commands that set the very value a change ended at, then any left in the window.
        foreach (var valueMustMatch in new[] { true, false })
        {
            for (var i = 0; i < ordered.Count; i++)
            {
                if (found[i] is not null)
                {
                    continue;
                }

                var change = ordered[i];
                var pmt = PmtOfSetpoint(change.Channel);
                found[i] = unused
                    .Where(c => c.Pmt == pmt && AcceptedAt(c) >= change.At - tolerance && AcceptedAt(c) < change.At + bucketWidth)
                    .Where(c => !valueMustMatch || Math.Abs(c.NewVolts - change.ToVolts) <= voltsTolerance)
                    .OrderByDescending(AcceptedAt)
                    .FirstOrDefault();
                if (found[i] is { } match)
                {
                    unused.Remove(match);
                }
            }
        }

        return
        [
            .. ordered.Select((change, i) => found[i] is { } c
                ? change with { Command = new HandoverHvCommand(c.CommandId, c.AgentId, c.User, AcceptedAt(c), c.OldVolts, c.NewVolts) }
                : change),
        ];
    }

    private static DateTimeOffset AcceptedAt(ControlCommandView command) => command.CompletedAt ?? command.RequestedAt;

    /// <summary>The PMT of <c>pmt.{pmt}.hv.set</c>; null for any other channel.</summary>
    private static string? PmtOfSetpoint(string channel)
    {
        const string Prefix = "pmt.", Suffix = ".hv.set";
        return channel.StartsWith(Prefix, StringComparison.Ordinal) && channel.EndsWith(Suffix, StringComparison.Ordinal) && channel.Length > Prefix.Length + Suffix.Length
            ? channel[Prefix.Length..^Suffix.Length]
            : null;
    }
}
