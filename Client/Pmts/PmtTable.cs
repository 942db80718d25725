using Clovers.Monitor.Shared.Live;

namespace Clovers.Monitor.Client.Pmts;

/// <summary>A PMT's dark rate over the last 24 h: the median and the band (10th–90th percentile) of its bucket means.</summary>
public sealed record DarkRateBaseline(double Median, double Low, double High)
{
    /// <summary>From bucket means of the history; null when there are too few to say anything.</summary>
    public static DarkRateBaseline? FromMeans(IEnumerable<double> means)
    {
        ArgumentNullException.ThrowIfNull(means);
        var sorted = means.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length < 3)
        {
            return null;
        }

        return new DarkRateBaseline(Percentile(sorted, 0.5), Percentile(sorted, 0.1), Percentile(sorted, 0.9));
    }

    private static double Percentile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}

/// <summary>One PMT as the table shows it, with why it is off, if it is.</summary>
public sealed record PmtRow(
    string Pmt,
    double? HvSet,
    double? HvRead,
    double? Deviation,
    double? Current,
    double? DarkRate,
    DarkRateBaseline? Baseline,
    double? Gain,
    ChannelStatus Status,
    IReadOnlyList<string> Problems)
{
    public bool IsOff => Status is ChannelStatus.Warn or ChannelStatus.Alarm or ChannelStatus.Stale;
}

/// <summary>
/// Builds the PMT table from live channels, with the facts sheet's bands: readback off its
/// setpoint by more than 5 V warns and 20 V alarms (below 10 V while armed is a trip), a dark
/// rate above 2× its 24 h median warns, 5× or exactly 0 alarms. A channel's own status
/// (stale, alarm) counts too; the worst decides the row.
/// </summary>
public static class PmtTable
{
    /// <summary>Two per crystal, as the detector is wired: <c>sd1a, sd1b, …, sd4b</c>.</summary>
    public static IReadOnlyList<string> Pmts { get; } =
        [.. Enumerable.Range(1, 4).SelectMany(sd => new[] { $"sd{sd}a", $"sd{sd}b" })];

    public const double DeviationWarnVolts = 5;
    public const double DeviationAlarmVolts = 20;
    public const double TripBelowVolts = 10;
    public const double ArmedAboveVolts = 100;
    public const double DarkRateWarnFactor = 2;
    public const double DarkRateAlarmFactor = 5;

    public static string HvSet(string pmt) => $"pmt.{pmt}.hv.set";

    public static string HvRead(string pmt) => $"pmt.{pmt}.hv.read";

    public static string Current(string pmt) => $"pmt.{pmt}.current";

    public static string DarkRate(string pmt) => $"pmt.{pmt}.darkrate";

    /// <summary>In pC, from the SPE fits of the spectra helper; absent until it runs.</summary>
    public static string Gain(string pmt) => $"pmt.{pmt}.gain";

    public static IReadOnlyList<PmtRow> Build(IReadOnlyDictionary<string, ChannelState> channels, IReadOnlyDictionary<string, DarkRateBaseline> baselines)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(baselines);
        return [.. Pmts.Select(pmt => Row(pmt, channels, baselines.GetValueOrDefault(pmt)))];
    }

    private static PmtRow Row(string pmt, IReadOnlyDictionary<string, ChannelState> channels, DarkRateBaseline? baseline)
    {
        var problems = new List<string>();
        var status = ChannelStatus.Ok;
        var known = false;

        void Raise(ChannelStatus level, string problem)
        {
            status = Worse(status, level);
            problems.Add(problem);
        }

        // The HV channels' own bands sit around the nominal setpoint announced at the agent's birth;
        // after a commanded change they would call a good readback off, so only their staleness
        // counts here and the readback is judged against the setpoint below.
        double? Value(string id, bool ownBands)
        {
            if (!channels.TryGetValue(id, out var channel))
            {
                return null;
            }

            known = true;
            if (channel.Status is ChannelStatus.Stale || (ownBands && channel.Status is ChannelStatus.Alarm or ChannelStatus.Warn))
            {
                Raise(channel.Status, $"{id} is {channel.Status.ToString().ToLowerInvariant()}");
            }

            return channel.Value;
        }

        var set = Value(HvSet(pmt), ownBands: false);
        var read = Value(HvRead(pmt), ownBands: false);
        var current = Value(Current(pmt), ownBands: false);
        var rate = Value(DarkRate(pmt), ownBands: true);
        var gain = channels.TryGetValue(Gain(pmt), out var gainChannel) ? gainChannel.Value : null;
        var deviation = read is { } r && set is { } s ? r - s : (double?)null;

        if (set is > ArmedAboveVolts && read is < TripBelowVolts)
        {
            Raise(ChannelStatus.Alarm, "HV tripped");
        }
        else if (deviation is { } d && Math.Abs(d) > DeviationAlarmVolts)
        {
            Raise(ChannelStatus.Alarm, FormattableString.Invariant($"HV {d:+0.0;-0.0} V off its setpoint"));
        }
        else if (deviation is { } w && Math.Abs(w) > DeviationWarnVolts)
        {
            Raise(ChannelStatus.Warn, FormattableString.Invariant($"HV {w:+0.0;-0.0} V off its setpoint"));
        }

        if (rate is 0)
        {
            Raise(ChannelStatus.Alarm, "counts nothing (dead channel)");
        }
        else if (rate is { } hz && baseline is { Median: > 0 } b)
        {
            if (hz > DarkRateAlarmFactor * b.Median)
            {
                Raise(ChannelStatus.Alarm, FormattableString.Invariant($"dark rate {hz / b.Median:0.0}× its 24 h median"));
            }
            else if (hz > DarkRateWarnFactor * b.Median)
            {
                Raise(ChannelStatus.Warn, FormattableString.Invariant($"dark rate {hz / b.Median:0.0}× its 24 h median"));
            }
        }

        return new PmtRow(pmt, set, read, deviation, current, rate, baseline, gain, known ? status : ChannelStatus.Unknown, problems);
    }

    private static ChannelStatus Worse(ChannelStatus a, ChannelStatus b) => Rank(b) > Rank(a) ? b : a;

    private static int Rank(ChannelStatus status) => status switch
    {
        ChannelStatus.Alarm => 3,
        ChannelStatus.Warn => 2,
        ChannelStatus.Stale => 1,
        _ => 0,
    };
}
