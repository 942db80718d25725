using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Physics;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Options;
using PhysicsExposure = Clovers.Monitor.Shared.Physics.Exposure;

namespace Clovers.Monitor.Server.Exposure;

/// <summary>
/// Exposure and sensitivity from the stored <c>beam.power</c> series: protons on target by bucket
/// means × duration (gaps as no beam), expected counts and significance by
/// <see cref="Sensitivity"/>, and the dates 3σ and 5σ are reached at the recent average power.
/// </summary>
public sealed class ExposureCalculator(ITimeSeriesStore store, IOptions<ExposureOptions> options)
{
    public const string BeamPowerChannel = SimulatedChannels.BeamPower;

    public static IReadOnlyList<double> MilestoneSigmas { get; } = [3, 5];

    private const int MaxCurvePoints = 200;
    private const int ProjectionPoints = 60;

    public async Task<ExposureReport> ComputeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mass = settings.MassKilograms;
        var history = await store.QueryAsync(BeamPowerChannel, from, to, settings.MaxBuckets, cancellationToken);
        var intervals = history.Buckets
            .Select(b => new BeamPowerInterval(b.Start, history.BucketWidth, b.Count > 0 ? b.Mean : null, b.Min, b.Max))
            .ToList();

        var exposure = ExposureIntegrator.Integrate(intervals, from, to, mass);
        var expected = Sensitivity.Expected(exposure);

        var window = TimeSpan.FromDays(settings.RecentWindowDays);
        var recentFrom = to - window > from ? to - window : from;
        var recent = ExposureIntegrator.Integrate(intervals, recentFrom, to, mass);
        var recentKilowatts = Beam.AverageKilowatts(recent.ProtonsOnTarget, to - recentFrom);

        var accumulated = Accumulated(intervals, from, to, mass);
        var milestones = MilestoneSigmas.Select(sigma => Milestone(sigma, exposure, accumulated, recentKilowatts, mass, to)).ToList();
        var projected = Projected(exposure, recentKilowatts, mass, to, milestones[^1]);

        return new ExposureReport(
            from,
            to,
            mass,
            exposure.ProtonsOnTarget,
            exposure.LiveDays,
            exposure.KilogramDays,
            expected.Cevns,
            expected.BeamNeutrons,
            expected.DarkCounts,
            expected.Radioactive,
            expected.Background,
            expected.Significance,
            recentKilowatts,
            settings.RecentWindowDays,
            milestones,
            accumulated,
            projected);
    }

    private static List<SignificancePoint> Accumulated(List<BeamPowerInterval> intervals, DateTimeOffset from, DateTimeOffset to, double mass)
    {
        var cumulative = ExposureIntegrator.Cumulative(intervals, from, to, mass);
        var points = new List<SignificancePoint>(MaxCurvePoints + 2) { new(from, 0) };
        var stride = Math.Max(1, (int)Math.Ceiling(cumulative.Count / (double)MaxCurvePoints));
        for (var i = 0; i < cumulative.Count; i++)
        {
            if (i % stride == stride - 1 || i == cumulative.Count - 1)
            {
                points.Add(new SignificancePoint(cumulative[i].At, Sensitivity.Significance(cumulative[i].Exposure)));
            }
        }

        return points;
    }

    private static SignificanceMilestone Milestone(
        double sigma,
        PhysicsExposure sofar,
        List<SignificancePoint> accumulated,
        double kilowatts,
        double mass,
        DateTimeOffset now)
    {
        if (Sensitivity.Significance(sofar) >= sigma)
        {
            var reachedAt = accumulated.FirstOrDefault(p => p.Significance >= sigma)?.At ?? now;
            return new SignificanceMilestone(sigma, true, reachedAt);
        }

        var wait = kilowatts > 0 ? Sensitivity.TimeToReach(sigma, sofar, kilowatts, mass) : null;
        return new SignificanceMilestone(sigma, false, wait is { } w ? now + w : null);
    }

    private static List<SignificancePoint> Projected(PhysicsExposure sofar, double kilowatts, double mass, DateTimeOffset now, SignificanceMilestone last)
    {
        if (last.Reached || last.At is not { } end || !(kilowatts > 0))
        {
            return [];
        }

        var span = end - now;
        var points = new List<SignificancePoint>(ProjectionPoints + 1);
        for (var i = 0; i <= ProjectionPoints; i++)
        {
            var elapsed = span * (i / (double)ProjectionPoints);
            var future = sofar + PhysicsExposure.Steady(kilowatts, elapsed.TotalDays, mass);
            points.Add(new SignificancePoint(now + elapsed, Sensitivity.Significance(future)));
        }

        return points;
    }
}
