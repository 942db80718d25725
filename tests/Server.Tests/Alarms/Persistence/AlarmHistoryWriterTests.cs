using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Tests.State;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Tests.Alarms.Persistence;

public sealed class AlarmHistoryWriterTests : IDisposable
{
    private readonly TemporaryStateDatabase _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Stop_AfterTransitions_HistoryHoldsThemInOrderWithTheLatestState()
    {
        var database = _temporary.Open();
        await database.MigrateAsync();
        var store = new AlarmStore(database, _temporary.Time, NullLogger<AlarmStore>.Instance);
        var queue = new AlarmHistoryQueue();
        var engine = new AlarmEngine(Options.Create(new AlarmOptions()), _temporary.Time, [queue]);
        Assert.True(engine.ReplaceRules([AlarmStoreTests.Limit("a.one")]).IsValid);
        using var writer = new AlarmHistoryWriter(queue, store, engine, NullLogger<AlarmHistoryWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        Feed(engine, 20);
        _temporary.Time.Advance(TimeSpan.FromSeconds(1));
        engine.Acknowledge("a.one", "alice", "seen");
        _temporary.Time.Advance(TimeSpan.FromSeconds(1));
        Feed(engine, 0);
        await writer.StopAsync(CancellationToken.None);
        var history = await store.QueryHistoryAsync(new AlarmHistoryQuery(), CancellationToken.None);
        var state = Assert.Single(await store.LoadStatesAsync(CancellationToken.None));

        Assert.Equal(
            [(AlarmState.Normal, AlarmState.ActiveUnacknowledged), (AlarmState.ActiveUnacknowledged, AlarmState.ActiveAcknowledged), (AlarmState.ActiveAcknowledged, AlarmState.Normal)],
            history.Reverse().Select(h => (h.From, h.To)));
        Assert.Equal(AlarmState.Normal, state.State);
    }

    [Fact]
    public void Publish_QueueFull_DropsAndCountsWithoutBlocking()
    {
        var queue = new AlarmHistoryQueue(capacity: 2);
        var transition = new AlarmTransition("a.one@1", "a.one", AlarmState.Normal, AlarmState.ActiveUnacknowledged, DateTimeOffset.UnixEpoch, AlarmTransition.System, null, null);

        for (var i = 0; i < 5; i++)
        {
            queue.Publish(transition);
        }

        Assert.Equal(3, queue.Dropped);
        Assert.Equal(2, queue.Depth);
    }

    private void Feed(AlarmEngine engine, double value)
    {
        var now = _temporary.Time.GetUtcNow();
        engine.Apply(new Server.Ingest.AcceptedReadings("agent-1", now, 1, false, [new Shared.Protocol.Reading("test.value", now, value)]));
    }
}
