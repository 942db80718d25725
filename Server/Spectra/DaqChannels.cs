using System.Globalization;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Platform;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>
/// The channels the Server derives from a DAQ: its status rates, the SPE gains fitted from its
/// charge histograms and the spectrum-shape statistic. They are declared in a birth made on the
/// DAQ's behalf, so they appear on the Overview and in Trends and pass through store, live state
/// and alarms like any published channel. Not to be confused with the platform agent's own
/// <c>daq.trigger.rate</c>, which the slow-control side measures independently.
/// </summary>
public static class DaqChannels
{
    public const int SubDetectors = SimulatedChannels.SubDetectorCount;

    /// <summary>The eight PMTs, two per sub-detector: sd1a, sd1b … sd4b.</summary>
    public static IReadOnlyList<string> Pmts => SimulatedChannels.Pmts;

    public static bool IsPmt(string? name) => name is not null && Pmts.Contains(name, StringComparer.Ordinal);

    /// <summary>Sub-detector (1–4) of a PMT name.</summary>
    public static int SubDetectorOf(string pmt) => pmt[2] - '0';

    public static string TriggerRate(string daqId) => $"daq.{daqId}.trigger_rate";

    public static string Livetime(string daqId) => $"daq.{daqId}.livetime";

    public static string VetoRate(string daqId) => $"daq.{daqId}.veto_rate";

    public static string Gain(string pmt) => $"pmt.{pmt}.gain";

    public static string GainDrift(string pmt) => $"pmt.{pmt}.gain_drift";

    public static string Shape(string daqId, int subDetector) =>
        string.Create(CultureInfo.InvariantCulture, $"daq.{daqId}.sd{subDetector}.shape_chi2");

    /// <summary>Every channel declared for a DAQ.</summary>
    public static IReadOnlyList<ChannelDescriptor> Descriptors(string daqId, double heartbeatSeconds)
    {
        var list = new List<ChannelDescriptor>
        {
            new(TriggerRate(daqId), "Hz", $"Beam trigger rate recorded by DAQ {daqId} (25 Hz with beam)", ChannelGroup.Daq, new Band(0, 27.5), heartbeatSeconds),
            new(Livetime(daqId), "%", $"Fraction of time DAQ {daqId} was live", ChannelGroup.Daq, new Band(95, 100), heartbeatSeconds)
            {
                Warn = new Band(90, null),
                Alarm = new Band(50, null),
            },
            new(VetoRate(daqId), "Hz", $"Muon veto tag rate seen by DAQ {daqId}", ChannelGroup.Daq, new Band(0, null), heartbeatSeconds),
        };
        foreach (var pmt in Pmts)
        {
            // Fits come when enough SPE entries have accumulated: minutes apart, so a long period.
            list.Add(new(Gain(pmt), "pC", $"SPE gain of PMT {pmt}, fitted from DAQ {daqId}'s charge spectrum", ChannelGroup.Pmt, new Band(0, null), 600));
            list.Add(new(GainDrift(pmt), "%", $"SPE gain of PMT {pmt} relative to its reference gain", ChannelGroup.Pmt, new Band(-5, 5), 600)
            {
                Warn = new Band(-5, 5),
                Alarm = new Band(-20, 20),
            });
        }

        for (var sd = 1; sd <= SubDetectors; sd++)
        {
            list.Add(new(Shape(daqId, sd), "", $"χ²/ndf of sub-detector {sd}'s last-hour signal spectrum against the reference", ChannelGroup.Daq, new Band(0, 3), 3600)
            {
                Warn = new Band(null, 3),
            });
        }

        return list;
    }
}
