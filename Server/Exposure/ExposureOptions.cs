using System.Globalization;
using Clovers.Monitor.Shared.Physics;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Exposure;

/// <summary>Configuration section <c>Exposure</c>: the exposure and sensitivity panel.</summary>
public sealed class ExposureOptions
{
    public const string SectionName = "Exposure";

    /// <summary>
    /// Start of the physics data taking, ISO 8601 (<c>2026-10-01T00:00:00Z</c>). Empty takes the
    /// Server's start time, which suits a demo; a real detector sets it.
    /// </summary>
    public string? Start { get; set; }

    /// <summary>How far back the beam power is averaged for the projections.</summary>
    public double RecentWindowDays { get; set; } = 7;

    /// <summary>CsI taking data: 12 kg with all four crystals.</summary>
    public double MassKilograms { get; set; } = CloversFacts.DetectorMassKilograms;

    /// <summary>Buckets the beam-power history is read in; more follow trips more closely.</summary>
    public int MaxBuckets { get; set; } = 2000;

    public static bool TryParseStart(string? text, out DateTimeOffset start) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start);
}

public sealed class ExposureOptionsValidator : IValidateOptions<ExposureOptions>
{
    public ValidateOptionsResult Validate(string? name, ExposureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Start) && !ExposureOptions.TryParseStart(options.Start, out _))
        {
            problems.Add($"Exposure:Start '{options.Start}' is not an ISO-8601 time such as 2026-10-01T00:00:00Z.");
        }

        if (options.RecentWindowDays is < 0.01 or > 366 or double.NaN)
        {
            problems.Add($"Exposure:RecentWindowDays {options.RecentWindowDays} is outside [0.01, 366].");
        }

        if (options.MassKilograms is <= 0 or > 1000 or double.NaN)
        {
            problems.Add($"Exposure:MassKilograms {options.MassKilograms} is outside (0, 1000].");
        }

        if (options.MaxBuckets is < 10 or > 10_000)
        {
            problems.Add($"Exposure:MaxBuckets {options.MaxBuckets} is outside [10, 10000].");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
