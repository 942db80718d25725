namespace Clovers.Monitor.Shared.Physics;

/// <summary>
/// One stretch of a stored beam-power series: its mean over the stretch, or null when nothing
/// was recorded (a gap); its minimum and maximum when known.
/// </summary>
public readonly record struct BeamPowerInterval(
    DateTimeOffset Start,
    TimeSpan Duration,
    double? MeanKilowatts,
    double? MinKilowatts = null,
    double? MaxKilowatts = null)
{
    public DateTimeOffset End => Start + Duration;

    /// <summary>
    /// The share of the stretch with beam on target, when the DAQ triggers and takes data: all of
    /// it when even the minimum had beam, none when even the maximum had none. A stretch that
    /// holds a trip and beam is taken as on for mean / max of it (beam at its maximum, else off).
    /// </summary>
    public double BeamOnFraction
    {
        get
        {
            if (MeanKilowatts is not { } mean || !double.IsFinite(mean) || mean <= 0)
            {
                return 0;
            }

            if (MinKilowatts is not { } min || min > 0)
            {
                return 1;
            }

            return MaxKilowatts is { } max && max > 0 ? Math.Clamp(mean / max, 0, 1) : 1;
        }
    }
}

/// <summary>
/// Integrates a beam-power series into exposure: each interval contributes its mean power times
/// its duration (bucket means × duration, exact for the mean of uniform samples). Live time is
/// the time with beam on target, since the DAQ triggers on the beam pulses. A gap, where nothing
/// was recorded, counts as no beam and no live time: what the monitor did not see, it does not
/// claim. Intervals are clipped to [from, to).
/// </summary>
public static class ExposureIntegrator
{
    public static Exposure Integrate(
        IEnumerable<BeamPowerInterval> intervals,
        DateTimeOffset from,
        DateTimeOffset to,
        double massKilograms)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        double protons = 0;
        double liveSeconds = 0;
        foreach (var interval in intervals)
        {
            if (interval.MeanKilowatts is not { } kilowatts || !double.IsFinite(kilowatts))
            {
                continue;
            }

            var overlap = Overlap(interval, from, to);
            if (overlap <= TimeSpan.Zero)
            {
                continue;
            }

            protons += Beam.ProtonsOnTarget(kilowatts, overlap);
            liveSeconds += overlap.TotalSeconds * interval.BeamOnFraction;
        }

        return new Exposure(protons, liveSeconds / CloversFacts.SecondsPerDay, massKilograms);
    }

    /// <summary>The exposure accumulated up to the end of each interval (for a growth curve), clipped to [from, to).</summary>
    public static IReadOnlyList<(DateTimeOffset At, Exposure Exposure)> Cumulative(
        IEnumerable<BeamPowerInterval> intervals,
        DateTimeOffset from,
        DateTimeOffset to,
        double massKilograms)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var points = new List<(DateTimeOffset, Exposure)>();
        var total = new Exposure(0, 0, massKilograms);
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            var overlap = Overlap(interval, from, to);
            if (overlap <= TimeSpan.Zero)
            {
                continue;
            }

            total += Integrate([interval], from, to, massKilograms);
            var end = interval.End < to ? interval.End : to;
            points.Add((end, total));
        }

        return points;
    }

    private static TimeSpan Overlap(BeamPowerInterval interval, DateTimeOffset from, DateTimeOffset to)
    {
        var start = interval.Start > from ? interval.Start : from;
        var end = interval.End < to ? interval.End : to;
        return end - start;
    }
}
