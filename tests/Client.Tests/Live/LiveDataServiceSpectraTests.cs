using System.Collections.Concurrent;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Live;

/// <summary>Spectra over the shared connection: asked of the hub only while someone subscribes.</summary>
public sealed class LiveDataServiceSpectraTests : LiveServiceTestBase
{
    private readonly ConcurrentQueue<SpectraUpdate> _first = new();
    private readonly ConcurrentQueue<SpectraUpdate> _second = new();

    protected override LiveSnapshot InitialSnapshot() => new(Now, false, Platform(), [Agent("platform")]);

    [Fact]
    public async Task StartAsync_NoSpectraSubscriber_DoesNotAskForSpectra()
    {
        await StartAndWaitForSnapshotAsync();

        Assert.Equal(0, HubServer.State.SpectraSubscriptions);
    }

    [Fact]
    public async Task SubscribeSpectraAsync_TwoSubscribers_AsksTheHubOnce()
    {
        await StartAndWaitForSnapshotAsync();

        await using var first = await Live.SubscribeSpectraAsync(Record(_first));
        await using var second = await Live.SubscribeSpectraAsync(Record(_second));

        Assert.Equal(1, HubServer.State.SpectraSubscriptions);
    }

    [Fact]
    public async Task SubscribeSpectraAsync_BeforeTheConnection_AsksOnceConnected()
    {
        await using var subscription = await Live.SubscribeSpectraAsync(Record(_first));

        await StartAndWaitForSnapshotAsync();

        await Eventually(() => HubServer.State.SpectraSubscriptions == 1);
    }

    [Fact]
    public async Task SpectraUpdated_Pushed_ReachesEverySubscriber()
    {
        await StartAndWaitForSnapshotAsync();
        await using var first = await Live.SubscribeSpectraAsync(Record(_first));
        await using var second = await Live.SubscribeSpectraAsync(Record(_second));

        await PushAsync(seq: 1);

        await Eventually(() => !_first.IsEmpty && !_second.IsEmpty);
        Assert.Equal(1, Assert.Single(_first).Seq);
    }

    [Fact]
    public async Task DisposeAsync_NotTheLastSubscriber_KeepsTheHubSending()
    {
        await StartAndWaitForSnapshotAsync();
        var first = await Live.SubscribeSpectraAsync(Record(_first));
        await using var second = await Live.SubscribeSpectraAsync(Record(_second));

        await first.DisposeAsync();
        await PushAsync(seq: 2);

        await Eventually(() => !_second.IsEmpty);
        Assert.Equal(0, HubServer.State.SpectraUnsubscriptions);
        Assert.Empty(_first);
    }

    [Fact]
    public async Task DisposeAsync_LastSubscriber_TellsTheHubToStop()
    {
        await StartAndWaitForSnapshotAsync();
        var first = await Live.SubscribeSpectraAsync(Record(_first));
        var second = await Live.SubscribeSpectraAsync(Record(_second));

        await first.DisposeAsync();
        await second.DisposeAsync();

        Assert.Equal(1, HubServer.State.SpectraUnsubscriptions);
    }

    [Fact]
    public async Task DisposeAsync_Twice_TellsTheHubOnce()
    {
        await StartAndWaitForSnapshotAsync();
        var subscription = await Live.SubscribeSpectraAsync(Record(_first));

        await subscription.DisposeAsync();
        await subscription.DisposeAsync();

        Assert.Equal(1, HubServer.State.SpectraUnsubscriptions);
    }

    [Fact]
    public async Task SubscribeSpectraAsync_AfterTheLastLeft_AsksAgain()
    {
        await StartAndWaitForSnapshotAsync();
        var first = await Live.SubscribeSpectraAsync(Record(_first));
        await first.DisposeAsync();

        await using var second = await Live.SubscribeSpectraAsync(Record(_second));

        Assert.Equal(2, HubServer.State.SpectraSubscriptions);
    }

    [Fact]
    public async Task ConnectionDropped_WithASubscriber_AsksAgainAndPushesArrive()
    {
        await StartAndWaitForSnapshotAsync();
        await using var subscription = await Live.SubscribeSpectraAsync(Record(_first));

        HubServer.DropConnections();

        await Eventually(() => HubServer.State.SpectraSubscriptions == 2);
        await PushAsync(seq: 3);
        await Eventually(() => !_first.IsEmpty);
    }

    [Fact]
    public async Task SpectraUpdated_SubscriberBusy_ChannelUpdatesStillArrive()
    {
        await StartAndWaitForSnapshotAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await Live.SubscribeSpectraAsync(async update =>
        {
            _first.Enqueue(update);
            await release.Task;
        });
        try
        {
            await PushAsync(seq: 1);
            await Eventually(() => !_first.IsEmpty);

            await HubServer.Hub.Clients.All.ChannelsUpdated([new ChannelUpdate("beam.power", 7, Now.AddSeconds(5), Quality.Good, ChannelStatus.Warn)]);

            await Eventually(() => Live.Channels["beam.power"].Value == 7);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task SpectraUpdated_SubscriberBusy_GetsTheNewestOfADaqWhenFree()
    {
        await StartAndWaitForSnapshotAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await Live.SubscribeSpectraAsync(async update =>
        {
            _first.Enqueue(update);
            await release.Task;
        });
        try
        {
            await PushAsync(seq: 1);
            await Eventually(() => !_first.IsEmpty);
            await PushAsync(seq: 2);
            await PushAsync(seq: 3);

            // The hub delivers in order: once this has arrived, so have seq 2 and 3.
            await HubServer.Hub.Clients.All.ChannelsUpdated([new ChannelUpdate("beam.power", 7, Now.AddSeconds(5), Quality.Good, ChannelStatus.Warn)]);
            await Eventually(() => Live.Channels["beam.power"].Value == 7);
        }
        finally
        {
            release.TrySetResult();
        }

        await Eventually(() => _first.Count == 2);
        Assert.Equal([1L, 3L], _first.Select(u => u.Seq));
    }

    private static Func<SpectraUpdate, Task> Record(ConcurrentQueue<SpectraUpdate> received) => update =>
    {
        received.Enqueue(update);
        return Task.CompletedTask;
    };

    private Task PushAsync(long seq) =>
        HubServer.Hub.Clients.Group(TestMonitorHub.SpectraGroup).SpectraUpdated(new SpectraUpdate("daq-sim", 7, seq, Now, 25 * seq, seq, 2e13 * seq, []));
}
