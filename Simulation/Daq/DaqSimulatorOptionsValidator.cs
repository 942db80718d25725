using Clovers.Monitor.Shared.Physics;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Simulation.Daq;

/// <summary>Checks <see cref="DaqSimulatorOptions"/> and reports every problem at once.</summary>
public sealed class DaqSimulatorOptionsValidator : IValidateOptions<DaqSimulatorOptions>
{
    private const string Section = DaqSimulatorOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DaqSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();

        if (!ProtocolRules.IsValidSourceId(options.DaqId))
        {
            problems.Add($"{Section}:{nameof(options.DaqId)} '{options.DaqId}' is not a valid DAQ id ({ProtocolRules.SourceIdPattern}).");
        }

        if (string.IsNullOrWhiteSpace(options.BrokerHost))
        {
            problems.Add($"{Section}:{nameof(options.BrokerHost)} is empty.");
        }

        if (options.BrokerPort is < 1 or > 65535)
        {
            problems.Add($"{Section}:{nameof(options.BrokerPort)} {options.BrokerPort} is outside 1–65535.");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
        {
            problems.Add($"{Section}:{nameof(options.Password)} is set but {nameof(options.Username)} is empty.");
        }

        InRange(problems, nameof(options.ReconnectMinSeconds), options.ReconnectMinSeconds, 0.01, 3600);
        InRange(problems, nameof(options.ReconnectMaxSeconds), options.ReconnectMaxSeconds, 0.01, 3600);
        if (options.ReconnectMinSeconds > options.ReconnectMaxSeconds)
        {
            problems.Add($"{Section}:{nameof(options.ReconnectMinSeconds)} ({options.ReconnectMinSeconds}) is greater than {nameof(options.ReconnectMaxSeconds)} ({options.ReconnectMaxSeconds}).");
        }

        InRange(problems, nameof(options.Acceleration), options.Acceleration, 0.001, 1_000_000);
        InRange(problems, nameof(options.StepSeconds), options.StepSeconds, 0.05, 60);
        InRange(problems, nameof(options.StatusIntervalSeconds), options.StatusIntervalSeconds, 0.1, 300);
        InRange(problems, nameof(options.HistogramIntervalSeconds), options.HistogramIntervalSeconds, 0.1, 3600);
        InRange(problems, nameof(options.DeadTimeFraction), options.DeadTimeFraction, 0, 0.99);
        InRange(problems, nameof(options.PmtDarkRateHertz), options.PmtDarkRateHertz, 0, 1e6);
        InRange(problems, nameof(options.NominalGain), options.NominalGain, 1e4, 1e9);
        InRange(problems, nameof(options.GainDriftPercentPerHour), options.GainDriftPercentPerHour, 0, 1000);
        InRange(problems, nameof(options.VetoRateHertz), options.VetoRateHertz, 0, 1e6);
        InRange(problems, nameof(options.BeamNominalKilowatts), options.BeamNominalKilowatts, 0, 10_000);
        InRange(problems, nameof(options.BeamTripsPerHour), options.BeamTripsPerHour, 0, 3600);

        if (options.RunNumber < 0)
        {
            problems.Add($"{Section}:{nameof(options.RunNumber)} {options.RunNumber} is negative.");
        }

        ValidateNpeBinning(problems, options);
        ValidateChargeBinning(problems, options);

        foreach (var (pmt, gain) in options.PmtGains ?? [])
        {
            if (!SimulatedChannels.Pmts.Contains(pmt, StringComparer.Ordinal))
            {
                problems.Add($"{Section}:{nameof(options.PmtGains)} names '{pmt}', which is not a PMT ({string.Join(", ", SimulatedChannels.Pmts)}).");
            }
            else if (!double.IsFinite(gain) || gain is < 1e4 or > 1e9)
            {
                problems.Add($"{Section}:{nameof(options.PmtGains)}:{pmt} ({gain}) is outside [10000, 1e9].");
            }
        }

        if (!SimulatedChannels.Pmts.Contains(options.DriftingPmt, StringComparer.Ordinal))
        {
            problems.Add($"{Section}:{nameof(options.DriftingPmt)} '{options.DriftingPmt}' is not a PMT ({string.Join(", ", SimulatedChannels.Pmts)}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateNpeBinning(List<string> problems, DaqSimulatorOptions options)
    {
        if (!double.IsFinite(options.NpeBinWidth) || options.NpeBinWidth <= 0)
        {
            problems.Add($"{Section}:{nameof(options.NpeBinWidth)} ({options.NpeBinWidth}) must be positive.");
            return;
        }

        if (!IsEdge(CloversFacts.AnalysisNpeMin, options.NpeBinWidth) || !IsEdge(CloversFacts.AnalysisNpeMax, options.NpeBinWidth))
        {
            problems.Add($"{Section}:{nameof(options.NpeBinWidth)} ({options.NpeBinWidth}) must divide 4 and 72, so the analysis region 4–72 NPE is whole bins.");
        }

        if (!double.IsFinite(options.NpeMaximum) || options.NpeMaximum < CloversFacts.AnalysisNpeMax)
        {
            problems.Add($"{Section}:{nameof(options.NpeMaximum)} ({options.NpeMaximum}) must be at least 72, the top of the analysis region.");
        }
        else if (BinCount(options.NpeMaximum, options.NpeBinWidth) is var bins && bins > ProtocolRules.MaxHistogramBins)
        {
            problems.Add($"{Section}: NPE histograms of {bins} bins exceed the protocol's {ProtocolRules.MaxHistogramBins}.");
        }
    }

    private static void ValidateChargeBinning(List<string> problems, DaqSimulatorOptions options)
    {
        if (!double.IsFinite(options.ChargeBinWidthPicocoulombs) || options.ChargeBinWidthPicocoulombs <= 0
            || !double.IsFinite(options.ChargeMaximumPicocoulombs) || options.ChargeMaximumPicocoulombs <= options.ChargeBinWidthPicocoulombs)
        {
            problems.Add($"{Section}:{nameof(options.ChargeBinWidthPicocoulombs)} ({options.ChargeBinWidthPicocoulombs}) and {nameof(options.ChargeMaximumPicocoulombs)} ({options.ChargeMaximumPicocoulombs}) must be positive, the maximum above the width.");
        }
        else if (BinCount(options.ChargeMaximumPicocoulombs, options.ChargeBinWidthPicocoulombs) is var bins && bins > ProtocolRules.MaxHistogramBins)
        {
            problems.Add($"{Section}: charge histograms of {bins} bins exceed the protocol's {ProtocolRules.MaxHistogramBins}.");
        }
    }

    internal static int BinCount(double maximum, double width) => (int)Math.Ceiling((maximum / width) - 1e-9);

    private static bool IsEdge(double value, double width)
    {
        var bins = value / width;
        return Math.Abs(bins - Math.Round(bins)) < 1e-9;
    }

    private static void InRange(List<string> problems, string key, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            problems.Add($"{Section}:{key} ({value}) is outside [{min}, {max}].");
        }
    }
}
