using System.Globalization;

namespace Clovers.Monitor.Shared.Api;

/// <summary>Route of the exposure and sensitivity panel's data.</summary>
public static class ExposureRoutes
{
    public const string Exposure = "/api/exposure";

    /// <summary><see cref="Exposure"/> over [from, to); a null bound takes the server's default (data-taking start, now).</summary>
    public static string Query(DateTimeOffset? from, DateTimeOffset? to)
    {
        var query = new List<string>();
        if (from is { } f)
        {
            query.Add("from=" + Uri.EscapeDataString(f.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (to is { } t)
        {
            query.Add("to=" + Uri.EscapeDataString(t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        }

        return query.Count == 0 ? Exposure : Exposure + "?" + string.Join('&', query);
    }
}

/// <summary>
/// Answer of <c>GET /api/exposure</c>: what the stored beam power says about the exposure so far
/// and the expected CEvNS sensitivity. Counts are events in 4–72 NPE after all cuts, scaled from the
/// proposal's 180 days × 12 kg at 140 kW (docs/physics.md).
/// </summary>
/// <param name="From">Start of the data taking considered (Exposure:Start unless asked otherwise).</param>
/// <param name="To">End of the range (now unless asked otherwise); projections start here.</param>
/// <param name="LiveDays">Days with beam on target, when the beam-triggered DAQ records.</param>
/// <param name="RecentAverageKilowatts">Beam power averaged over the last <paramref name="RecentWindowDays"/> (gaps and trips as 0 kW).</param>
/// <param name="Accumulated">Significance as it grew over [From, To).</param>
/// <param name="Projected">Significance from To on at the recent average power, up to 5σ; empty when the beam is off.</param>
public sealed record ExposureReport(
    DateTimeOffset From,
    DateTimeOffset To,
    double MassKilograms,
    double ProtonsOnTarget,
    double LiveDays,
    double KilogramDays,
    double ExpectedCevns,
    double ExpectedBeamNeutrons,
    double ExpectedDarkCounts,
    double ExpectedRadioactive,
    double ExpectedBackground,
    double Significance,
    double RecentAverageKilowatts,
    double RecentWindowDays,
    IReadOnlyList<SignificanceMilestone> Milestones,
    IReadOnlyList<SignificancePoint> Accumulated,
    IReadOnlyList<SignificancePoint> Projected);

/// <summary>
/// A significance worth announcing (3σ evidence, 5σ observation): reached already, or the date
/// it will be at the recent average beam power; <paramref name="At"/> is null when the beam is off.
/// </summary>
public sealed record SignificanceMilestone(double Sigma, bool Reached, DateTimeOffset? At);

public sealed record SignificancePoint(DateTimeOffset At, double Significance);
