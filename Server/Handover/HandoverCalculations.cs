using Clovers.Monitor.Shared.Api;
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
}
