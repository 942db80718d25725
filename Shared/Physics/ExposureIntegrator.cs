namespace Clovers.Monitor.Shared.Physics;

/// <summary>
/// One stretch of a stored beam-power series: its mean over the stretch, or null when nothing
/// was recorded (a gap).
/// </summary>
public readonly record struct BeamPowerInterval(DateTimeOffset Start, TimeSpan Duration, double? MeanKilowatts)
{
    public DateTimeOffset End => Start + Duration;
}

/// <summary>
/// Integrates a beam-power series into exposure: each interval contributes its mean power times
/// its duration (bucket means × duration, exact for the mean of uniform samples). A gap, where
/// nothing was recorded, counts as no beam and no live time: what the monitor did not see, it does
/// not claim. Intervals are clipped to [from, to).
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
            liveSeconds += overlap.TotalSeconds;
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
