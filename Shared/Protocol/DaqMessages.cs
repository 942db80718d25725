using System.Globalization;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Protocol;

/// <summary>What a histogram counts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HistogramKind>))]
public enum HistogramKind
{
    /// <summary>Number of photo-electrons per triggered event, summed over a sub-detector's two PMTs.</summary>
    [JsonStringEnumMemberName("npe")]
    Npe,

    /// <summary>Charge of single dark pulses of one PMT (its single-photo-electron spectrum), for gain monitoring.</summary>
    [JsonStringEnumMemberName("spe-charge")]
    SpeCharge,
}

/// <summary>Which part of the 50 µs waveform an NPE histogram integrates.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DaqWindow>))]
public enum DaqWindow
{
    /// <summary>The 10 µs after the beam trigger, where CEvNS events arrive.</summary>
    [JsonStringEnumMemberName("signal")]
    Signal,

    /// <summary>The 40 µs before the trigger: afterglow and dark counts, no beam.</summary>
    [JsonStringEnumMemberName("pretrace")]
    Pretrace,
}

[JsonConverter(typeof(JsonStringEnumConverter<DaqRunState>))]
public enum DaqRunState
{
    [JsonStringEnumMemberName("running")]
    Running,
    [JsonStringEnumMemberName("stopped")]
    Stopped,

    /// <summary>Published as the DAQ's MQTT last will.</summary>
    [JsonStringEnumMemberName("offline")]
    Offline,
}

/// <summary>
/// One histogram, cumulative since its run started. <see cref="Edges"/> has one more entry than
/// <see cref="Counts"/>: bin i counts values in [Edges[i], Edges[i+1]).
/// </summary>
/// <param name="Key">Stable name of the histogram within a DAQ, built by <see cref="HistogramKeys"/>: <c>sd1.signal</c>, <c>sd2b.spe</c>.</param>
/// <param name="SubDetector">1–4 for NPE histograms, null for SPE charge.</param>
/// <param name="Window">Signal or pretrace for NPE histograms, null for SPE charge.</param>
/// <param name="Pmt">PMT name for SPE charge histograms (<c>sd1a</c> … <c>sd4b</c>, two per sub-detector), null for NPE.</param>
/// <param name="Unit">Unit of the bin edges: <c>NPE</c> or <c>pC</c>.</param>
/// <remarks>
/// <c>subDetector</c>, <c>window</c> and <c>pmt</c> are required but may be null; they are written
/// even when null, since the reader refuses a message that lacks a constructor parameter.
/// </remarks>
public sealed record Histogram(
    string Key,
    HistogramKind Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? SubDetector,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DaqWindow? Window,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Pmt,
    string Unit,
    IReadOnlyList<double> Edges,
    IReadOnlyList<long> Counts);

/// <summary>
/// What the DAQ publishes on <c>clovers/v1/daq/{daqId}/histograms</c>: cumulative histograms of
/// the current run with the run's totals. Because every message holds the whole run so far, a
/// lost message loses nothing; the next one carries it. A message may carry any subset of keys.
/// </summary>
/// <param name="Run">Run number; a new number starts every histogram from zero.</param>
/// <param name="Seq">Grows by at least one per message within a run; older or equal ones are ignored.</param>
/// <param name="Triggers">Beam triggers (events) recorded in the run so far.</param>
/// <param name="LivetimeSeconds">Time the DAQ was able to record in the run so far.</param>
/// <param name="ProtonsOnTarget">Beam exposure of the run so far, integrated from the delivered beam power.</param>
public sealed record HistogramSet(
    int Schema,
    string DaqId,
    long Run,
    long Seq,
    DateTimeOffset SentAt,
    DateTimeOffset RunStartedAt,
    long Triggers,
    double LivetimeSeconds,
    double ProtonsOnTarget,
    IReadOnlyList<Histogram> Histograms)
{
    /// <summary>True when produced by the DAQ simulator rather than the digitizer.</summary>
    public bool Simulated { get; init; }
}

/// <summary>
/// What the DAQ publishes, retained, on <c>clovers/v1/daq/{daqId}/status</c> every few seconds,
/// and as its last will with state offline.
/// </summary>
public sealed record DaqStatusMessage(
    int Schema,
    string DaqId,
    DateTimeOffset Timestamp,
    long Run,
    DaqRunState State,
    double TriggerRateHz,
    double LivetimeFraction,
    double VetoRateHz)
{
    public double HeartbeatSeconds { get; init; } = 5;

    public bool Simulated { get; init; }

    public string? Version { get; init; }
}

/// <summary>The only spelling of histogram keys, shared by the DAQ, the Server and the pages.</summary>
public static class HistogramKeys
{
    public const string NpeUnit = "NPE";
    public const string ChargeUnit = "pC";

    public static string Npe(int subDetector, DaqWindow window) =>
        string.Create(CultureInfo.InvariantCulture, $"sd{subDetector}.{(window == DaqWindow.Signal ? "signal" : "pretrace")}");

    public static string Spe(string pmt) => pmt + ".spe";
}
