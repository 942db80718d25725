using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>Configuration section <c>Spectra</c>: DAQ histogram store, snapshots, SPE fits and shape checks.</summary>
public sealed class SpectraOptions
{
    public const string SectionName = "Spectra";

    /// <summary>How often a run's histograms are snapshotted into state.db (minutes).</summary>
    public double SnapshotIntervalMinutes { get; set; } = 5;

    /// <summary>Snapshots older than this are deleted; the latest histogram of every run is kept.</summary>
    public double SnapshotRetentionDays { get; set; } = 90;

    /// <summary>Least time between two writes of a DAQ's latest histograms (a crash loses at most this; the DAQ resends everything anyway).</summary>
    public double LatestWriteSeconds { get; set; } = 10;

    /// <summary>
    /// Least time between two live pushes of one DAQ's histograms to browsers: about one a second,
    /// with a tenth of slack so that a DAQ publishing exactly once a second is not held back a
    /// whole period whenever its message arrives a little early.
    /// </summary>
    public double PushIntervalSeconds { get; set; } = 0.9;

    /// <summary>Entries an SPE charge histogram must have gained since the last fit before it is fitted again.</summary>
    public long SpeFitMinEntries { get; set; } = 2000;

    /// <summary>Consecutive fits within <see cref="SpeStableTolerancePercent"/> of each other that make the run's reference gain (when none is configured).</summary>
    public int SpeStableFits { get; set; } = 3;

    public double SpeStableTolerancePercent { get; set; } = 2;

    /// <summary>Reference SPE gain per PMT in pC (<c>Spectra:ReferenceGains:sd1a = 1.6</c>); a PMT without one uses the first stable fit of the run.</summary>
    public Dictionary<string, double> ReferenceGains { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The signal-window spectrum of the last this-many minutes is compared with the reference.</summary>
    public double ShapeWindowMinutes { get; set; } = 60;

    /// <summary>How often the shape comparison runs (minutes).</summary>
    public double ShapeIntervalMinutes { get; set; } = 5;

    /// <summary>Fewest counts the last window must hold before its shape is judged.</summary>
    public long ShapeMinCounts { get; set; } = 200;
}

public sealed class SpectraOptionsValidator : IValidateOptions<SpectraOptions>
{
    public ValidateOptionsResult Validate(string? name, SpectraOptions options)
    {
        var problems = new List<string>();
        Check(problems, options.SnapshotIntervalMinutes, 0.05, 1440, "SnapshotIntervalMinutes");
        Check(problems, options.SnapshotRetentionDays, 0.01, 3660, "SnapshotRetentionDays");
        Check(problems, options.LatestWriteSeconds, 0.1, 3600, "LatestWriteSeconds");
        Check(problems, options.PushIntervalSeconds, 0.1, 60, "PushIntervalSeconds");
        Check(problems, options.SpeStableTolerancePercent, 0.01, 100, "SpeStableTolerancePercent");
        Check(problems, options.ShapeWindowMinutes, 1, 7 * 1440, "ShapeWindowMinutes");
        Check(problems, options.ShapeIntervalMinutes, 0.05, 1440, "ShapeIntervalMinutes");
        if (options.SpeFitMinEntries is < 50 or > 100_000_000)
        {
            problems.Add($"Spectra:SpeFitMinEntries {options.SpeFitMinEntries} is outside [50, 100000000].");
        }

        if (options.SpeStableFits is < 1 or > 100)
        {
            problems.Add($"Spectra:SpeStableFits {options.SpeStableFits} is outside [1, 100].");
        }

        if (options.ShapeMinCounts is < 1 or > 1_000_000_000)
        {
            problems.Add($"Spectra:ShapeMinCounts {options.ShapeMinCounts} is outside [1, 1000000000].");
        }

        foreach (var (pmt, gain) in options.ReferenceGains ?? [])
        {
            if (!DaqChannels.IsPmt(pmt))
            {
                problems.Add($"Spectra:ReferenceGains names '{pmt}', which is not a PMT (sd1a … sd4b).");
            }

            if (!double.IsFinite(gain) || gain <= 0)
            {
                problems.Add($"Spectra:ReferenceGains:{pmt} {gain} must be a positive charge in pC.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Check(List<string> problems, double value, double min, double max, string name)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            problems.Add($"Spectra:{name} {value} is outside [{min}, {max}].");
        }
    }
}
