using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Diagnostics;

public sealed class OutboxDepthTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static ChannelState Channel(string id, double? value) =>
        new(id, "a", "1", id, ChannelGroup.Agent, new Band(0, 1e6), null, null, value, value is null ? null : Now, Quality.Good, ChannelStatus.Ok);

    [Fact]
    public void OutboxDepths_AgentOutboxChannels_OnePerAgentSortedById()
    {
        var depths = ServerDiagnosticsCollector.OutboxDepths(
        [
            Channel("agent.platform-2.outbox_depth", 7),
            Channel("cryo.temp.sd1", 77.3),
            Channel("agent.platform-1.outbox_depth", 1234),
            Channel("agent.platform-1.heartbeat", 1),
        ]);

        Assert.Equal(["platform-1", "platform-2"], depths.Select(d => d.AgentId));
        Assert.Equal(1234, depths[0].Depth);
    }

    [Fact]
    public void OutboxDepths_ChannelDeclaredWithoutValue_LeftOut()
    {
        var depths = ServerDiagnosticsCollector.OutboxDepths([Channel("agent.platform-1.outbox_depth", null)]);

        Assert.Empty(depths);
    }
}
