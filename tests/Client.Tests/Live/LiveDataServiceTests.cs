using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Live;

/// <summary>The live-data service against a real SignalR hub on loopback.</summary>
public sealed class LiveDataServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _time = new(Now);
    private LoopbackMonitorServer _server = null!;
    private HttpClient _http = null!;
    private LiveDataService _service = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackMonitorServer.StartAsync(new LiveSnapshot(Now, false, Platform(), [Agent("platform")]), simulation: true);
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
        _service = new LiveDataService(_http, NullLogger<LiveDataService>.Instance, _time);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task StartAndWaitForSnapshotAsync()
    {
        await _service.StartAsync();
        await Eventually(() => _service.ConnectionState == LiveConnectionState.Connected);
    }

    [Fact]
    public async Task StartAsync_ServerUp_TakesTheSnapshot()
    {
        await StartAndWaitForSnapshotAsync();

        Assert.Equal(Platform().Select(c => c.Id).Order(), _service.Channels.Keys.Order());
        Assert.Equal(AgentState.Online, _service.Agents["platform"].State);
    }

    [Fact]
    public async Task StartAsync_ServerSaysSimulation_FlagIsSet()
    {
        await StartAndWaitForSnapshotAsync();

        await Eventually(() => _service.Simulation);
        Assert.Equal("test", _service.ServerVersion);
    }

    [Fact]
    public async Task ChannelsUpdated_Pushed_StateAndRawSubscribersSeeIt()
    {
        IReadOnlyList<ChannelUpdate>? received = null;
        using var subscription = _service.SubscribeChannelUpdates(updates => { received = updates; return Task.CompletedTask; });
        await StartAndWaitForSnapshotAsync();

        await _server.Hub.Clients.All.ChannelsUpdated([new ChannelUpdate("beam.power", 0, Now.AddSeconds(5), Quality.Good, ChannelStatus.Warn)]);

        await Eventually(() => _service.Channels["beam.power"].Value == 0);
        Assert.Equal(ChannelStatus.Warn, _service.Channels["beam.power"].Status);
        Assert.Equal("beam.power", Assert.Single(received!).Id);
    }

    [Fact]
    public async Task StatusesUpdated_Pushed_ChannelGoesStale()
    {
        await StartAndWaitForSnapshotAsync();

        await _server.Hub.Clients.All.StatusesUpdated([new ChannelStatusChange("veto.rate", ChannelStatus.Stale)]);

        await Eventually(() => _service.Channels["veto.rate"].Status == ChannelStatus.Stale);
    }

    [Fact]
    public async Task AgentsUpdated_Pushed_AgentStateFollows()
    {
        await StartAndWaitForSnapshotAsync();

        await _server.Hub.Clients.All.AgentsUpdated([Agent("platform", AgentState.Offline)]);

        await Eventually(() => _service.Agents["platform"].State == AgentState.Offline);
    }

    [Fact]
    public async Task Changed_BurstOfUpdates_NotifiesOncePerInterval()
    {
        var notifications = 0;
        using var subscription = _service.SubscribeChanged(() => { Interlocked.Increment(ref notifications); return Task.CompletedTask; });
        await StartAndWaitForSnapshotAsync();
        _time.Advance(LiveDataService.NotifyInterval);
        await Eventually(() => notifications == 1);

        for (var i = 1; i <= 20; i++)
        {
            await _server.Hub.Clients.All.ChannelsUpdated([new ChannelUpdate("beam.power", i, Now.AddSeconds(i), Quality.Good, ChannelStatus.Ok)]);
        }

        await Eventually(() => _service.Channels["beam.power"].Value == 20);
        Assert.Equal(1, notifications);
        _time.Advance(LiveDataService.NotifyInterval);
        await Eventually(() => notifications == 2);
    }

    [Fact]
    public async Task UpdateOfUnknownChannel_ReloadsChannelList()
    {
        await StartAndWaitForSnapshotAsync();
        var newChannel = Channel("cryo.pressure", ChannelGroup.Cryogenics, 1.01, unit: "bar");
        _server.State.Snapshot = _server.State.Snapshot with { Channels = [.. Platform(), newChannel] };

        await _server.Hub.Clients.All.ChannelsUpdated([new ChannelUpdate("cryo.pressure", 1.02, Now.AddSeconds(1), Quality.Good, ChannelStatus.Ok)]);

        await Eventually(() => _service.Channels.ContainsKey("cryo.pressure"));
        Assert.Equal(1, _server.State.ChannelListRequests);
    }

    [Fact]
    public async Task ConnectionDropped_Reconnects_ResubscribesAndAsksForBackfillSinceTheLoss()
    {
        DateTimeOffset? backfillSince = null;
        using var subscription = _service.SubscribeBackfillNeeded(since => { backfillSince = since; return Task.CompletedTask; });
        await StartAndWaitForSnapshotAsync();
        _time.Advance(TimeSpan.FromMinutes(1));

        _server.DropConnections();

        await Eventually(() => _server.State.Subscriptions == 2 && _service.ConnectionState == LiveConnectionState.Connected);
        await Eventually(() => backfillSince is not null);
        Assert.Equal(Now.AddMinutes(1), backfillSince);
    }

    [Fact]
    public async Task ChannelsUpdated_OvertakesTheSnapshot_NewerValueWins()
    {
        _server.State.UpdateBeforeSnapshot = new ChannelUpdate("beam.power", 99, Now.AddSeconds(3), Quality.Good, ChannelStatus.Warn);

        await StartAndWaitForSnapshotAsync();

        Assert.Equal(99, _service.Channels["beam.power"].Value);
        Assert.Equal(0, _server.State.ChannelListRequests);
    }

    [Fact]
    public async Task StartAsync_CalledTwice_SubscribesOnce()
    {
        await StartAndWaitForSnapshotAsync();

        await _service.StartAsync();

        Assert.Equal(1, _server.State.Subscriptions);
    }
}
