using System.Globalization;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Shared.Api;

/// <summary>
/// The latest cumulative histogram of one key of one DAQ, with the run totals it belongs to.
/// <see cref="RoiCounts"/> counts the analysis region (4–72 NPE) of NPE histograms, null for SPE charge.
/// </summary>
public sealed record SpectrumSummary(
    string DaqId,
    string Key,
    HistogramKind Kind,
    int? SubDetector,
    DaqWindow? Window,
    string? Pmt,
    string Unit,
    long Run,
    long Seq,
    DateTimeOffset SentAt,
    DateTimeOffset RunStartedAt,
    long Triggers,
    double LivetimeSeconds,
    double ProtonsOnTarget,
    long TotalCounts,
    long? RoiCounts,
    bool Simulated);

/// <summary>Answer of <c>GET /api/spectra/{daqId}/{key}</c>: one histogram with its edges.</summary>
public sealed record SpectrumData(
    SpectrumSummary Summary,
    IReadOnlyList<double> Edges,
    IReadOnlyList<long> Counts,
    string? Reference = null);

/// <summary>A run of a DAQ as the spectra store remembers it.</summary>
public sealed record SpectraRunInfo(
    string DaqId,
    long Run,
    DateTimeOffset RunStartedAt,
    DateTimeOffset LastSentAt,
    long Seq,
    long Triggers,
    double LivetimeSeconds,
    double ProtonsOnTarget,
    int Snapshots);

/// <summary>One periodic snapshot of a histogram within a run (how the run grew).</summary>
public sealed record SpectrumSnapshotInfo(
    DateTimeOffset At,
    long Seq,
    long Triggers,
    double LivetimeSeconds,
    double ProtonsOnTarget,
    long TotalCounts,
    long? RoiCounts);

/// <summary>
/// Answer of <c>GET /api/spectra/{daqId}/{key}/rate?minutes=</c>: counts gained between the
/// snapshot at or before <see cref="From"/> and the latest histogram, divided by the livetime
/// between them (per second of livetime).
/// </summary>
public sealed record SpectrumRate(
    string DaqId,
    string Key,
    long Run,
    DateTimeOffset From,
    DateTimeOffset To,
    double LivetimeSeconds,
    double ProtonsOnTarget,
    IReadOnlyList<double> Edges,
    IReadOnlyList<double> RatePerSecond,
    long Counts,
    long? RoiCounts,
    double? RoiRatePerSecond);

/// <summary>Body of <c>POST /api/spectra/{daqId}/references</c>: save a run (the latest when null) as a named reference.</summary>
public sealed record SpectrumReferenceRequest(string Name, long? Run);

/// <summary>A saved reference: the histograms of one run, frozen under a name.</summary>
public sealed record SpectrumReferenceInfo(
    string DaqId,
    string Name,
    long Run,
    DateTimeOffset SavedAt,
    string SavedBy,
    long Triggers,
    double LivetimeSeconds,
    double ProtonsOnTarget,
    int Histograms);

/// <summary>The newest single-photo-electron fit of one PMT.</summary>
public sealed record SpeGainInfo(
    string DaqId,
    string Pmt,
    long Run,
    DateTimeOffset At,
    double GainPicocoulomb,
    double GainError,
    double SigmaPicocoulomb,
    long Entries,
    double? ReferenceGain,
    double? DriftPercent)
{
    /// <summary>When the reference gain was taken; null for a configured one.</summary>
    public DateTimeOffset? ReferenceTakenAt { get; init; }

    /// <summary>The run the reference gain was taken in; null for a configured one.</summary>
    public long? ReferenceRun { get; init; }

    /// <summary>Where the reference comes from: <see cref="SpeGainReferenceSources.Configured"/>, <see cref="SpeGainReferenceSources.FirstStableFit"/> or the user who took it.</summary>
    public string? ReferenceSource { get; init; }
}

/// <summary>The sources of a PMT's reference gain that are not a user name.</summary>
public static class SpeGainReferenceSources
{
    /// <summary><c>Spectra:ReferenceGains</c> names the PMT; it wins over any stored reference.</summary>
    public const string Configured = "configured";

    /// <summary>No reference was stored, so the first stable fit became it.</summary>
    public const string FirstStableFit = "auto: first stable fit";
}

/// <summary>A PMT's reference SPE gain as stored in state.db: the gain its drift is measured from.</summary>
/// <param name="TakenBy"><see cref="SpeGainReferenceSources.FirstStableFit"/> or the expert who re-took it.</param>
public sealed record SpeGainReferenceInfo(
    string DaqId,
    string Pmt,
    double GainPicocoulomb,
    DateTimeOffset TakenAt,
    long Run,
    string TakenBy)
{
    /// <summary>True when <c>Spectra:ReferenceGains</c> names the PMT: the configured gain is used instead of this one.</summary>
    public bool OverriddenByConfiguration { get; init; }
}

/// <summary>Body of <c>POST /api/spectra/{daqId}/gains/reference</c>: re-take one PMT's reference (all PMTs of the DAQ when <see cref="Pmt"/> is null) from its newest fit.</summary>
public sealed record SpeGainReferenceRequest(string? Pmt);

/// <summary>Counts of one histogram in a live push; <see cref="Counts"/> is empty for SPE charge histograms.</summary>
public sealed record SpectrumCounts(string Key, long Total, long? Roi, IReadOnlyList<long> Counts);

/// <summary>
/// What the hub pushes when a DAQ's histogram set is accepted (at most one per second per DAQ):
/// the run totals and the counts of every NPE histogram. The edges do not change within a run;
/// a client that does not know them (or sees another bin count) reloads them from the REST API.
/// </summary>
public sealed record SpectraUpdate(
    string DaqId,
    long Run,
    long Seq,
    DateTimeOffset SentAt,
    long Triggers,
    double LivetimeSeconds,
    double ProtonsOnTarget,
    IReadOnlyList<SpectrumCounts> Histograms);

/// <summary>Routes of the spectra API, shared by the server and the client.</summary>
public static class SpectraRoutes
{
    public const string Spectra = "/api/spectra";
    public const string Gains = "/api/spectra/gains";
    public const string CsvSuffix = ".csv";

    /// <summary>The analysis region of the proposal (≈ 1.5 keVnr threshold): 4–72 NPE.</summary>
    public const double RoiLowNpe = 4;

    public const double RoiHighNpe = 72;

    public static string Histogram(string daqId, string key, long? run = null, string? reference = null)
    {
        var path = $"{Spectra}/{Uri.EscapeDataString(daqId)}/{Uri.EscapeDataString(key)}";
        if (reference is not null)
        {
            return path + "?reference=" + Uri.EscapeDataString(reference);
        }

        return run is { } r ? path + "?run=" + r.ToString(CultureInfo.InvariantCulture) : path;
    }

    public static string HistogramCsv(string daqId, string key, long? run = null) =>
        $"{Spectra}/{Uri.EscapeDataString(daqId)}/{Uri.EscapeDataString(key)}{CsvSuffix}" +
        (run is { } r ? "?run=" + r.ToString(CultureInfo.InvariantCulture) : string.Empty);

    public static string Runs(string daqId) => $"{Spectra}/{Uri.EscapeDataString(daqId)}/runs";

    public static string References(string daqId) => $"{Spectra}/{Uri.EscapeDataString(daqId)}/references";

    /// <summary>The stored reference SPE gains of a DAQ's PMTs (GET), re-taken from the newest fits by an expert (POST).</summary>
    public static string GainReferences(string daqId) => $"{Spectra}/{Uri.EscapeDataString(daqId)}/gains/reference";

    public static string Snapshots(string daqId, string key, long run) =>
        FormattableString.Invariant($"{Spectra}/{Uri.EscapeDataString(daqId)}/{Uri.EscapeDataString(key)}/snapshots?run={run}");

    public static string Rate(string daqId, string key, int minutes) =>
        FormattableString.Invariant($"{Spectra}/{Uri.EscapeDataString(daqId)}/{Uri.EscapeDataString(key)}/rate?minutes={minutes}");

    /// <summary>Counts in the bins that lie inside [<paramref name="low"/>, <paramref name="high"/>) (a bin counts when its centre does).</summary>
    public static long CountsBetween(IReadOnlyList<double> edges, IReadOnlyList<long> counts, double low = RoiLowNpe, double high = RoiHighNpe)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(counts);
        long sum = 0;
        for (var i = 0; i < counts.Count && i + 1 < edges.Count; i++)
        {
            var centre = (edges[i] + edges[i + 1]) / 2;
            if (centre >= low && centre < high)
            {
                sum += counts[i];
            }
        }

        return sum;
    }
}
