using Clovers.Monitor.Server.Control;
using Clovers.Monitor.Server.Tests.State;
using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Server.Tests.Control;

public sealed class ControlCommandStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RecentAsync_AfterReopeningTheFile_ShowsWhatWasCommanded()
    {
        using var folder = new TemporaryStateDatabase();
        var first = folder.Open();
        await first.MigrateAsync();
        var command = new ControlCommandView("c-1", "platform-sim", "sd2a", 1500, 1520, ControlOutcome.Accepted, null, "alice", At, At.AddSeconds(1));
        await new ControlCommandStore(first).SaveAsync(command, CancellationToken.None);
        first.Dispose();

        var reopened = folder.Open();
        await reopened.MigrateAsync();
        var recent = await new ControlCommandStore(reopened).RecentAsync(10, CancellationToken.None);

        Assert.Equal([command], recent);
    }

    [Fact]
    public async Task SaveAsync_SameIdAgain_UpdatesTheOutcome()
    {
        using var folder = new TemporaryStateDatabase();
        var database = folder.Open();
        await database.MigrateAsync();
        var store = new ControlCommandStore(database);
        var pending = new ControlCommandView("c-2", "platform-sim", "sd2a", 1500, 1520, ControlOutcome.Unknown, "no reply", "alice", At, At.AddSeconds(10));

        await store.SaveAsync(pending, CancellationToken.None);
        await store.SaveAsync(pending with { Outcome = ControlOutcome.Accepted, Reason = null }, CancellationToken.None);

        Assert.Equal(ControlOutcome.Accepted, (await store.FindAsync("c-2", CancellationToken.None))!.Outcome);
        Assert.Single(await store.RecentAsync(10, CancellationToken.None));
    }
}
