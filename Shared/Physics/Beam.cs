namespace Clovers.Monitor.Shared.Physics;

/// <summary>Protons on target from beam power: each proton brings 1.6 GeV, so protons/s = P / (1.6 GeV in joules).</summary>
public static class Beam
{
    /// <summary>Protons per second delivered at <paramref name="kilowatts"/>; 5.46e14 at 140 kW.</summary>
    public static double ProtonsPerSecond(double kilowatts) =>
        Math.Max(0, kilowatts) * 1e3 / CloversFacts.ProtonEnergyJoules;

    /// <summary>Protons per 25 Hz pulse; 2.18e13 at 140 kW.</summary>
    public static double ProtonsPerPulse(double kilowatts) =>
        ProtonsPerSecond(kilowatts) / CloversFacts.BeamRepetitionHertz;

    /// <summary>Protons per day of steady beam; 4.72e19 at 140 kW.</summary>
    public static double ProtonsPerDay(double kilowatts) =>
        ProtonsPerSecond(kilowatts) * CloversFacts.SecondsPerDay;

    /// <summary>Protons delivered by <paramref name="kilowatts"/> held for <paramref name="duration"/>.</summary>
    public static double ProtonsOnTarget(double kilowatts, TimeSpan duration) =>
        ProtonsPerSecond(kilowatts) * Math.Max(0, duration.TotalSeconds);

    /// <summary>The steady power that delivers <paramref name="protons"/> in <paramref name="duration"/>; 0 for no time.</summary>
    public static double AverageKilowatts(double protons, TimeSpan duration) =>
        duration <= TimeSpan.Zero ? 0 : protons * CloversFacts.ProtonEnergyJoules / duration.TotalSeconds / 1e3;

    /// <summary>
    /// The exposure the proposal's expected counts are quoted for: 180 days at 140 kW, about 8.49e21
    /// protons. Computed, not rounded, so that 180 days at 140 kW give exactly the quoted counts.
    /// </summary>
    public static double ReferenceProtonsOnTarget { get; } =
        ProtonsPerDay(CloversFacts.NominalBeamKilowatts) * CloversFacts.ReferenceDays;
}
