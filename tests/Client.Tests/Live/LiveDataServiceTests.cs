using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Time.Testing;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Live;

/// <summary>The live-data service against a real SignalR hub on loopback.</summary>
public sealed class LiveDataServiceTests : LiveServiceTestBase
{
    protected override LiveSnapshot InitialSnapshot() =>
        new LiveSnapshot(Now, false, Platform(), [Agent("platform")]);

    protected override bool Simulation => true;

    [Fact]
    public async Task StartAsync_ServerUp_TakesTheSnapshot()
    {
        await StartAndWaitForSnapshotAsync();

        Assert.Equal(Platform().Select(c => c.Id).Order(), Live.Channels.Keys.Order());
        Assert.Equal(AgentState.Online, Live.Agents["platform"].State);
    }

    [Fact]
    public async Task StartAsync_ServerSaysSimulation_FlagIsSet()
    {
        await StartAndWaitForSnapshotAsync();

        await Eventually(() => Live.Simulation);
        Assert.Equal("test", Live.ServerVersion);
    }

    [Fact]
    public async Task ChannelsUpdated_Pushed_StateAndRawSubscribersSeeIt()
    {
        IReadOnlyList<ChannelUpdate>? received = null;
        using var subscription = Live.SubscribeChannelUpdates(updates => { received = updates; return Task.CompletedTask; });
        await StartAndWaitForSnapshotAsync();

        await HubServer.Hub.Clients.All.ChannelsUpdated([new ChannelUpdate("beam.power", 0, Now.AddSeconds(5), Quality.Good, ChannelStatus.Warn)]);

        await Eventually(() => Live.Channels["beam.power"].Value == 0);
        Assert.Equal(ChannelStatus.Warn, Live.Channels["beam.power"].Status);
        Assert.Equal("beam.power", Assert.Single(received!).Id);
    }

    [Fact]
    public async Task StatusesUpdated_Pushed_ChannelGoesStale()
    {
        await StartAndWaitForSnapshotAsync();

        await HubServer.Hub.Clients.All.StatusesUpdated([new ChannelStatusChange("veto.rate", ChannelStatus.Stale)]);

        await Eventually(() => Live.Channels["veto.rate"].Status == ChannelStatus.Stale);
    }

    [Fact]
    public async Task AgentsUpdated_Pushed_AgentStateFollows()
    {
        await StartAndWaitForSnapshotAsync();

        await HubServer.Hub.Clients.All.AgentsUpdated([Agent("platform", AgentState.Offline)]);

        await Eventually(() => Live.Agents["platform"].State == AgentState.Offline);
    }

    [Fact]
    public async Task Changed_BurstOfUpdates_NotifiesOncePerInterval()
    {
        var notifications = 0;
        using var subscription = Live.SubscribeChanged(() => { Interlocked.Increment(ref notifications); return Task.CompletedTask; });
        await StartAndWaitForSnapshotAsync();
        Clock.Advance(LiveDataService.NotifyInterval);
        await Eventually(() => notifications == 1);

        for (var i = 1; i <= 20; i++)
        {
            await HubServer.Hub.Clients.All.ChannelsUpdated([new ChannelUpdate("beam.power", i, Now.AddSeconds(i), Quality.Good, ChannelStatus.Ok)]);
        }

        await Eventually(() => Live.Channels["beam.power"].Value == 20);
        Assert.Equal(1, notifications);
        Clock.Advance(LiveDataService.NotifyInterval);
        await Eventually(() => notifications == 2);
    }

    [Fact]
    public async Task UpdateOfUnknownChannel_ReloadsChannelList()
    {
        await StartAndWaitForSnapshotAsync();
        var newChannel = Channel("cryo.pressure", ChannelGroup.Cryogenics, 1.01, unit: "bar");
        HubServer.State.Snapshot = HubServer.State.Snapshot with { Channels = [.. Platform(), newChannel] };

        await HubServer.Hub.Clients.All.ChannelsUpdated([new ChannelUpdate("cryo.pressure", 1.02, Now.AddSeconds(1), Quality.Good, ChannelStatus.Ok)]);

        await Eventually(() => Live.Channels.ContainsKey("cryo.pressure"));
        Assert.Equal(1, HubServer.State.ChannelListRequests);
    }

    [Fact]
    public async Task ConnectionDropped_Reconnects_ResubscribesAndAsksForBackfillSinceTheLoss()
    {
        DateTimeOffset? backfillSince = null;
        using var subscription = Live.SubscribeBackfillNeeded(since => { backfillSince = since; return Task.CompletedTask; });
        await StartAndWaitForSnapshotAsync();
        Clock.Advance(TimeSpan.FromMinutes(1));

        HubServer.DropConnections();

        await Eventually(() => HubServer.State.Subscriptions == 2 && Live.ConnectionState == LiveConnectionState.Connected);
        await Eventually(() => backfillSince is not null);
        Assert.Equal(Now.AddMinutes(1), backfillSince);
    }

    [Fact]
    public async Task ChannelsUpdated_OvertakesTheSnapshot_NewerValueWins()
    {
        HubServer.State.UpdateBeforeSnapshot = new ChannelUpdate("beam.power", 99, Now.AddSeconds(3), Quality.Good, ChannelStatus.Warn);

        await StartAndWaitForSnapshotAsync();

        Assert.Equal(99, Live.Channels["beam.power"].Value);
        Assert.Equal(0, HubServer.State.ChannelListRequests);
    }

    [Fact]
    public async Task StartAsync_CalledTwice_SubscribesOnce()
    {
        await StartAndWaitForSnapshotAsync();

        await Live.StartAsync();

        Assert.Equal(1, HubServer.State.Subscriptions);
    }
}
