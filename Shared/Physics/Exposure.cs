namespace Clovers.Monitor.Shared.Physics;

/// <summary>
/// What the detector has been exposed to: protons on target (drives the beam-correlated
/// components), live days (drives the steady ones) and the crystal mass taking data.
/// </summary>
public readonly record struct Exposure(double ProtonsOnTarget, double LiveDays, double MassKilograms)
{
    public double KilogramDays => LiveDays * MassKilograms;

    /// <summary>Steady beam of <paramref name="kilowatts"/> for <paramref name="days"/> on <paramref name="massKilograms"/>.</summary>
    public static Exposure Steady(double kilowatts, double days, double massKilograms = CloversFacts.DetectorMassKilograms) =>
        new(Beam.ProtonsPerDay(kilowatts) * days, days, massKilograms);

    /// <summary>Both exposures together, on the mass of <paramref name="left"/> (the monitor's mass is fixed per query).</summary>
    public static Exposure operator +(Exposure left, Exposure right) =>
        new(left.ProtonsOnTarget + right.ProtonsOnTarget, left.LiveDays + right.LiveDays, left.MassKilograms);

    public Exposure Add(Exposure other) => this + other;
}

/// <summary>Expected events in 4–72 NPE after all cuts, by component.</summary>
public sealed record ExpectedCounts(double Cevns, double BeamNeutrons, double DarkCounts, double Radioactive)
{
    public double Background => BeamNeutrons + DarkCounts + Radioactive;

    /// <summary>The proposal's figure of merit N_s / √(N_s + N_b).</summary>
    public double Significance => Sensitivity.Significance(Cevns, Background);
}
