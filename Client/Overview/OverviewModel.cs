using System.Globalization;
using Clovers.Monitor.Client.Formatting;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Client.Overview;

public enum Subsystem
{
    Cryogenics,
    Pmt,
    Beam,
    Veto,
    Agents,
}

/// <summary>One number a shifter looks for first, with the status of the channels it comes from.</summary>
public sealed record KeyFigure(string Key, string Label, double? Value, string Unit, ChannelStatus Status)
{
    /// <summary>Upper end when the figure is a range (min–max).</summary>
    public double? UpperValue { get; init; }

    /// <summary>Where the figure comes from, e.g. which crystal is the warmest.</summary>
    public string? Detail { get; init; }

    /// <summary>True for counts, which read without decimals.</summary>
    public bool IsCount { get; init; }

    public string Text
    {
        get
        {
            if (Value is null)
            {
                return DisplayFormat.Missing;
            }

            var number = UpperValue is { } upper
                ? $"{Format(Value)}–{Format(upper)}"
                : Format(Value);
            return string.IsNullOrEmpty(Unit) ? number : $"{number} {Unit}";
        }
    }

    private string Format(double? value) =>
        IsCount && value is { } count ? count.ToString("0", CultureInfo.InvariantCulture) : DisplayFormat.Value(value);
}

public sealed record SubsystemTile(Subsystem Subsystem, string Title, ChannelStatus Status, IReadOnlyList<KeyFigure> Figures)
{
    /// <summary>The <c>data-testid</c> suffix and CSS hook of the tile.</summary>
    public string Key => Subsystem switch
    {
        Subsystem.Cryogenics => "cryogenics",
        Subsystem.Pmt => "pmt",
        Subsystem.Beam => "beam",
        Subsystem.Veto => "veto",
        _ => "agents",
    };
}

public sealed record ChannelGroupRows(ChannelGroup Group, string Title, IReadOnlyList<ChannelState> Channels);

public sealed record OverviewSummary(ChannelStatus Overall, IReadOnlyList<SubsystemTile> Tiles, IReadOnlyList<ChannelGroupRows> Groups);

/// <summary>
/// The Overview's judgement, kept apart from rendering: which tile gets which colour, and the key
/// figures. A tile takes the worst status of its channels (the enum is ordered by severity); a
/// channel whose agent has gone quiet counts as stale at least, whatever it last reported.
/// </summary>
public static class OverviewModel
{
    public const string Ln2LevelChannel = "cryo.ln2.level";
    public const string BeamPowerChannel = "beam.power";
    public const string VetoRateChannel = "veto.rate";
    public const string CrystalTemperaturePrefix = "cryo.temp.sd";
    public const string HvReadSuffix = ".hv.read";
    public const string HvSetSuffix = ".hv.set";
    public const string PmtPrefix = "pmt.";
    public const string DarkRateSuffix = ".darkrate";

    public const string WarmestCrystalKey = "warmest-crystal";
    public const string HvDeviationKey = "hv-deviation";
    public const string DarkRateRangeKey = "darkrate-range";
    public const string AgentsOnlineKey = "agents-online";

    public static OverviewSummary Build(IEnumerable<ChannelState> channels, IEnumerable<AgentInfo> agents)
    {
        var agentList = agents.ToList();
        var agentsById = agentList.ToDictionary(static agent => agent.Id, StringComparer.Ordinal);
        var effective = channels
            .Select(channel => channel with { Status = EffectiveStatus(channel, agentsById) })
            .OrderBy(static channel => channel.Id, StringComparer.Ordinal)
            .ToList();
        var byId = effective.ToDictionary(static channel => channel.Id, StringComparer.Ordinal);

        SubsystemTile[] tiles =
        [
            new(Subsystem.Cryogenics, "Cryogenics", Worst(InGroups(effective, ChannelGroup.Cryogenics)),
                [Single(byId, Ln2LevelChannel, "LN2 level"), WarmestCrystal(effective)]),
            new(Subsystem.Pmt, "PMTs", Worst(InGroups(effective, ChannelGroup.Pmt)),
                [LargestHvDeviation(byId), DarkRateRange(effective)]),
            // The beam trigger is the DAQ's external trigger: a DAQ problem is read next to the beam.
            new(Subsystem.Beam, "Beam / DAQ", Worst(InGroups(effective, ChannelGroup.Beam, ChannelGroup.Daq)),
                [Single(byId, BeamPowerChannel, "Beam power")]),
            new(Subsystem.Veto, "Muon veto", Worst(InGroups(effective, ChannelGroup.Veto)),
                [Single(byId, VetoRateChannel, "Veto rate")]),
            AgentsTile(agentList, InGroups(effective, ChannelGroup.Agent)),
        ];

        var groups = effective
            .GroupBy(static channel => channel.Group)
            .OrderBy(static group => group.Key)
            .Select(static group => new ChannelGroupRows(group.Key, GroupTitle(group.Key), [.. group]))
            .ToList();

        var overall = tiles.Length == 0 ? ChannelStatus.Unknown : tiles.Max(static tile => tile.Status);
        return new OverviewSummary(overall, tiles, groups);
    }

    public static ChannelStatus Worst(IEnumerable<ChannelState> channels)
    {
        var any = false;
        var worst = ChannelStatus.Ok;
        foreach (var channel in channels)
        {
            any = true;
            if (channel.Status > worst)
            {
                worst = channel.Status;
            }
        }

        return any ? worst : ChannelStatus.Unknown;
    }

    public static ChannelStatus AgentStatus(AgentState state) => state switch
    {
        AgentState.Online => ChannelStatus.Ok,
        AgentState.Stale => ChannelStatus.Stale,
        _ => ChannelStatus.Alarm,
    };

    public static string GroupTitle(ChannelGroup group) => group switch
    {
        ChannelGroup.Cryogenics => "Cryogenics",
        ChannelGroup.Pmt => "PMTs",
        ChannelGroup.Beam => "Beam",
        ChannelGroup.Veto => "Muon veto",
        ChannelGroup.Daq => "DAQ",
        ChannelGroup.Agent => "Agents",
        _ => group.ToString(),
    };

    private static ChannelStatus EffectiveStatus(ChannelState channel, Dictionary<string, AgentInfo> agents) =>
        agents.TryGetValue(channel.AgentId, out var agent) && agent.State != AgentState.Online && channel.Status < ChannelStatus.Stale
            ? ChannelStatus.Stale
            : channel.Status;

    private static IEnumerable<ChannelState> InGroups(IEnumerable<ChannelState> channels, params ChannelGroup[] groups) =>
        channels.Where(channel => groups.Contains(channel.Group));

    private static KeyFigure Single(Dictionary<string, ChannelState> byId, string channelId, string label) =>
        byId.TryGetValue(channelId, out var channel)
            ? new KeyFigure(channelId, label, channel.Value, channel.Unit, channel.Status)
            : new KeyFigure(channelId, label, null, string.Empty, ChannelStatus.Unknown);

    private static KeyFigure WarmestCrystal(IReadOnlyList<ChannelState> channels)
    {
        var crystals = channels.Where(static c => c.Id.StartsWith(CrystalTemperaturePrefix, StringComparison.Ordinal)).ToList();
        var warmest = crystals.Where(static c => c.Value is not null).MaxBy(static c => c.Value);
        return new KeyFigure(WarmestCrystalKey, "Warmest crystal", warmest?.Value, warmest?.Unit ?? string.Empty, Worst(crystals))
        {
            Detail = warmest?.Id["cryo.temp.".Length..],
        };
    }

    /// <summary>Largest |readback − setpoint| over the PMTs; without a setpoint channel, the nominal band's centre stands in.</summary>
    private static KeyFigure LargestHvDeviation(Dictionary<string, ChannelState> byId)
    {
        var readbacks = byId.Values
            .Where(static c => c.Id.StartsWith(PmtPrefix, StringComparison.Ordinal) && c.Id.EndsWith(HvReadSuffix, StringComparison.Ordinal))
            .ToList();
        double? largest = null;
        string? where = null;
        var unit = readbacks.FirstOrDefault()?.Unit ?? "V";
        foreach (var read in readbacks)
        {
            var pmt = read.Id[..^HvReadSuffix.Length];
            var setpoint = byId.TryGetValue(pmt + HvSetSuffix, out var set) && set.Value is { } s
                ? s
                : read.Nominal is { Low: { } low, High: { } high } ? (low + high) / 2 : (double?)null;
            if (read.Value is not { } value || setpoint is not { } target)
            {
                continue;
            }

            var deviation = Math.Abs(value - target);
            if (largest is null || deviation > largest)
            {
                largest = deviation;
                where = pmt[PmtPrefix.Length..];
            }
        }

        return new KeyFigure(HvDeviationKey, "Largest HV deviation", largest, unit, Worst(readbacks)) { Detail = where };
    }

    private static KeyFigure DarkRateRange(IReadOnlyList<ChannelState> channels)
    {
        var rates = channels
            .Where(static c => c.Id.StartsWith(PmtPrefix, StringComparison.Ordinal) && c.Id.EndsWith(DarkRateSuffix, StringComparison.Ordinal))
            .ToList();
        var values = rates.Where(static c => c.Value is not null).Select(static c => c.Value!.Value).ToList();
        var unit = rates.FirstOrDefault()?.Unit ?? "Hz";
        return values.Count == 0
            ? new KeyFigure(DarkRateRangeKey, "Dark rates", null, unit, Worst(rates))
            : new KeyFigure(DarkRateRangeKey, "Dark rates", values.Min(), unit, Worst(rates)) { UpperValue = values.Max() };
    }

    private static SubsystemTile AgentsTile(IReadOnlyList<AgentInfo> agents, IEnumerable<ChannelState> agentChannels)
    {
        var agentWorst = agents.Count == 0 ? ChannelStatus.Unknown : agents.Max(static agent => AgentStatus(agent.State));
        var channelWorst = Worst(agentChannels);
        var status = (agentWorst, channelWorst) switch
        {
            (_, ChannelStatus.Unknown) => agentWorst,
            (ChannelStatus.Unknown, _) => channelWorst,
            _ => agentWorst > channelWorst ? agentWorst : channelWorst,
        };
        var online = agents.Count(static agent => agent.State == AgentState.Online);
        var figure = new KeyFigure(AgentsOnlineKey, "Agents online", agents.Count == 0 ? null : online, $"of {agents.Count}", agentWorst)
        {
            IsCount = true,
            Detail = agents.Any(static a => a.State != AgentState.Online)
                ? string.Join(", ", agents.Where(static a => a.State != AgentState.Online).Select(static a => $"{a.Id} {a.State.ToString().ToLowerInvariant()}"))
                : null,
        };
        return new SubsystemTile(Subsystem.Agents, "Agents", status, [figure]);
    }
}
