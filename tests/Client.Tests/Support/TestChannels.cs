using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Client.Tests.Support;

public static class TestChannels
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static ChannelState Channel(
        string id,
        ChannelGroup group,
        double? value = 1,
        ChannelStatus status = ChannelStatus.Ok,
        string unit = "",
        string agentId = "platform",
        Band? nominal = null,
        DateTimeOffset? timestamp = null) =>
        new(id, agentId, unit, $"{id} description", group, nominal ?? new Band(null, null), null, null,
            value, value is null ? null : timestamp ?? Now, value is null ? null : Quality.Good, status);

    public static AgentInfo Agent(string id, AgentState state = AgentState.Online, bool simulated = false, int channelCount = 1) =>
        new(id, state, Now, "1.0.0", channelCount, simulated);

    /// <summary>A small but complete CLOVERS platform, everything nominal.</summary>
    public static ChannelState[] Platform() =>
    [
        Channel("cryo.ln2.level", ChannelGroup.Cryogenics, 72.5, unit: "%"),
        Channel("cryo.temp.sd1", ChannelGroup.Cryogenics, 77.31, unit: "K"),
        Channel("cryo.temp.sd2", ChannelGroup.Cryogenics, 77.42, unit: "K"),
        Channel("pmt.sd1a.hv.read", ChannelGroup.Pmt, 1500.4, unit: "V"),
        Channel("pmt.sd1a.hv.set", ChannelGroup.Pmt, 1500, unit: "V"),
        Channel("pmt.sd1b.hv.read", ChannelGroup.Pmt, 1498.5, unit: "V"),
        Channel("pmt.sd1b.hv.set", ChannelGroup.Pmt, 1500, unit: "V"),
        Channel("pmt.sd1a.darkrate", ChannelGroup.Pmt, 104, unit: "Hz"),
        Channel("pmt.sd1b.darkrate", ChannelGroup.Pmt, 121, unit: "Hz"),
        Channel("beam.power", ChannelGroup.Beam, 140, unit: "kW"),
        Channel("daq.trigger.rate", ChannelGroup.Daq, 25, unit: "Hz"),
        Channel("veto.rate", ChannelGroup.Veto, 180, unit: "Hz"),
    ];
}
