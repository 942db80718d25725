namespace Clovers.Monitor.Shared.Physics;

/// <summary>
/// The numbers of the CLOVERS proposal (Su, Liu, Liang for the CLOVERS collaboration, "CEvNS
/// Experiment Proposal at CSNS", NuFact 2022) that the monitor computes with. Derived values are
/// computed from the primary ones; the rounded figures the paper prints are kept beside them so
/// that tests can pin one against the other. docs/physics.md says where each comes from.
/// </summary>
public static class CloversFacts
{
    /// <summary>Kinetic energy of the CSNS protons on the tungsten target.</summary>
    public const double ProtonEnergyGeV = 1.6;

    /// <summary>The CODATA elementary charge: one electron-volt in joules, one electron in coulombs.</summary>
    public const double ElementaryChargeCoulombs = 1.602176634e-19;

    /// <summary><see cref="ProtonEnergyGeV"/> in joules: the energy each proton brings to the target.</summary>
    public const double ProtonEnergyJoules = ProtonEnergyGeV * 1e9 * ElementaryChargeCoulombs;

    /// <summary>CSNS beam power now; the flux and the beam-related rates scale linearly with it.</summary>
    public const double NominalBeamKilowatts = 140;

    /// <summary>Pulses per second; every pulse is one DAQ trigger.</summary>
    public const double BeamRepetitionHertz = 25;

    /// <summary>The paper's rounded protons per second at 140 kW (the exact value is <see cref="Beam.ProtonsPerSecond"/> of 140 kW).</summary>
    public const double ProtonsPerSecondAtNominal = 5.46e14;

    /// <summary>The paper's rounded protons per pulse at 140 kW and 25 Hz.</summary>
    public const double ProtonsPerPulseAtNominal = 2.18e13;

    /// <summary>The paper's rounded protons per day at 140 kW.</summary>
    public const double ProtonsPerDayAtNominal = 4.72e19;

    public const int SubDetectorCount = 4;

    /// <summary>One undoped CsI crystal per sub-detector.</summary>
    public const double CrystalMassKilograms = 3;

    /// <summary>All four crystals: 12 kg.</summary>
    public const double DetectorMassKilograms = SubDetectorCount * CrystalMassKilograms;

    public const int PmtsPerSubDetector = 2;

    /// <summary>Mean R11065 dark count rate at 77 K.</summary>
    public const double PmtDarkRateHertz = 111;

    /// <summary>The recorded waveform: 40 µs pretrace before the trigger, 10 µs signal region after it.</summary>
    public const double SignalWindowMicroseconds = 10;

    public const double PretraceWindowMicroseconds = 40;

    /// <summary>Lower edge of the analysis region, inclusive (≈ 1.5 keVnr).</summary>
    public const double AnalysisNpeMin = 4;

    /// <summary>Upper edge of the analysis region, exclusive.</summary>
    public const double AnalysisNpeMax = 72;

    /// <summary>Exposure the expected counts below are quoted for: half a year...</summary>
    public const double ReferenceDays = 180;

    /// <summary>...with all 12 kg: 2160 kg·days.</summary>
    public const double ReferenceKilogramDays = ReferenceDays * DetectorMassKilograms;

    /// <summary>CEvNS events in 4–72 NPE after all cuts, 12 kg, 180 days at 140 kW.</summary>
    public const double ReferenceCevns = 160;

    /// <summary>Beam-related neutron events in 4–72 NPE after all cuts.</summary>
    public const double ReferenceBeamNeutrons = 666;

    /// <summary>PMT dark-count events in 4–72 NPE after all cuts.</summary>
    public const double ReferenceDarkCounts = 160;

    /// <summary>Radioactive-isotope events in 4–72 NPE after all cuts.</summary>
    public const double ReferenceRadioactive = 7;

    /// <summary>All backgrounds: 666 + 160 + 7.</summary>
    public const double ReferenceBackground = ReferenceBeamNeutrons + ReferenceDarkCounts + ReferenceRadioactive;

    /// <summary>CEvNS events before the selection, all energies, for the same exposure.</summary>
    public const double ReferenceCevnsBeforeSelection = 303;

    /// <summary>Seconds in a day, for exposure in days.</summary>
    public const double SecondsPerDay = 86_400;
}
