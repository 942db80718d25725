namespace Clovers.Monitor.Shared.Physics;

/// <summary>
/// Expected counts and significance for an exposure, scaled from the proposal's 180 days × 12 kg
/// at 140 kW. CEvNS and beam neutrons come with the beam: they scale with protons on target and
/// with mass. PMT dark counts and radioactivity are there whether the beam is on or not: they
/// scale with live time (time with beam pulses: the DAQ triggers on them) and mass.
/// </summary>
public static class Sensitivity
{
    /// <summary>CEvNS events per proton on target per kilogram.</summary>
    public static double CevnsPerProtonKilogram { get; } =
        CloversFacts.ReferenceCevns / (Beam.ReferenceProtonsOnTarget * CloversFacts.DetectorMassKilograms);

    /// <summary>Beam-neutron events per proton on target per kilogram.</summary>
    public static double BeamNeutronsPerProtonKilogram { get; } =
        CloversFacts.ReferenceBeamNeutrons / (Beam.ReferenceProtonsOnTarget * CloversFacts.DetectorMassKilograms);

    /// <summary>Dark-count events per kilogram·day of live time (0.074).</summary>
    public const double DarkCountsPerKilogramDay = CloversFacts.ReferenceDarkCounts / CloversFacts.ReferenceKilogramDays;

    /// <summary>Radioactive events per kilogram·day of live time.</summary>
    public const double RadioactivePerKilogramDay = CloversFacts.ReferenceRadioactive / CloversFacts.ReferenceKilogramDays;

    public static ExpectedCounts Expected(Exposure exposure)
    {
        var protonKilograms = Math.Max(0, exposure.ProtonsOnTarget) * Math.Max(0, exposure.MassKilograms);
        var kilogramDays = Math.Max(0, exposure.KilogramDays);
        return new ExpectedCounts(
            CevnsPerProtonKilogram * protonKilograms,
            BeamNeutronsPerProtonKilogram * protonKilograms,
            DarkCountsPerKilogramDay * kilogramDays,
            RadioactivePerKilogramDay * kilogramDays);
    }

    /// <summary>N_s / √(N_s + N_b); 0 when nothing is expected.</summary>
    public static double Significance(double signal, double background)
    {
        var total = signal + background;
        return total > 0 && signal > 0 ? signal / Math.Sqrt(total) : 0;
    }

    public static double Significance(Exposure exposure) => Expected(exposure).Significance;

    /// <summary>
    /// How long from now, keeping <paramref name="kilowatts"/> on <paramref name="massKilograms"/>
    /// and taking data all the time, until the significance reaches <paramref name="sigma"/>.
    /// Zero when already there; null when it never will (no beam, hence no signal growth).
    /// </summary>
    /// <remarks>
    /// Signal and background both grow linearly, S = s0 + s·t and B = b0 + b·t, so Z(t)² = S²/(S+B)
    /// reaches σ² at the larger root of s²t² + (2·s0·s − σ²(s+b))·t + s0² − σ²(s0+b0) = 0.
    /// </remarks>
    public static TimeSpan? TimeToReach(double sigma, Exposure sofar, double kilowatts, double massKilograms)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The target significance must be a positive number.");
        }

        var now = Expected(sofar);
        if (now.Significance >= sigma)
        {
            return TimeSpan.Zero;
        }

        var perDay = Expected(Exposure.Steady(kilowatts, 1, massKilograms));
        var s = perDay.Cevns;
        if (!(s > 0))
        {
            return null;
        }

        var b = perDay.Background;
        var s0 = now.Cevns;
        var b0 = now.Background;
        var z2 = sigma * sigma;
        var qa = s * s;
        var qb = (2 * s0 * s) - (z2 * (s + b));
        var qc = (s0 * s0) - (z2 * (s0 + b0));
        var discriminant = (qb * qb) - (4 * qa * qc);
        if (discriminant < 0)
        {
            return null;
        }

        var days = (-qb + Math.Sqrt(discriminant)) / (2 * qa);
        return days <= 0 ? TimeSpan.Zero : TimeSpan.FromDays(Math.Min(days, 36_500));
    }
}
