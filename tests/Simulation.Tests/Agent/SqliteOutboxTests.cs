using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Simulation.Tests.Agent;

public sealed class SqliteOutboxTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ReadingBatch Batch(long seq, int readings = 3) =>
        new(ProtocolRules.SchemaVersion, "outbox-1", seq, Now.AddSeconds(seq),
            [.. Enumerable.Range(0, readings).Select(i => new Reading($"test.channel{i}", Now.AddSeconds(seq), seq + (i / 10.0)))]);

    private SqliteOutbox Open(long maxBytes = 1_000_000) => SqliteOutbox.Open(_folder.File("outbox.db"), maxBytes);

    [Fact]
    public async Task Open_AfterAdds_BatchesSurviveInOrder()
    {
        using (var outbox = Open())
        {
            for (var seq = 1; seq <= 5; seq++)
            {
                await outbox.AddAsync(Batch(seq), CancellationToken.None);
            }
        }

        using var reopened = Open();
        var seen = new List<ReadingBatch>();
        while (reopened.TryPeek(out var batch))
        {
            seen.Add(batch);
            await reopened.RemoveAsync(batch.Seq, CancellationToken.None);
        }

        Assert.Equal([1L, 2, 3, 4, 5], seen.Select(b => b.Seq));
        Assert.Equal(Batch(3).Readings, seen[2].Readings);
    }

    [Fact]
    public async Task RemoveAsync_ThenReopen_RemovedBatchStaysGone()
    {
        using (var outbox = Open())
        {
            await outbox.AddAsync(Batch(1), CancellationToken.None);
            await outbox.AddAsync(Batch(2), CancellationToken.None);
            await outbox.RemoveAsync(1, CancellationToken.None);
        }

        using var reopened = Open();
        Assert.Equal(1, reopened.Count);
        Assert.True(reopened.TryPeek(out var head));
        Assert.Equal(2, head.Seq);
    }

    [Fact]
    public async Task AddAsync_OverBudget_DropsOldestAndRemembersTheCountAcrossReopen()
    {
        var size = SqliteOutbox.Encode(Batch(1)).Length;
        using (var outbox = Open(maxBytes: (size * 3) + (size / 2)))
        {
            for (var seq = 1; seq <= 10; seq++)
            {
                await outbox.AddAsync(Batch(seq), CancellationToken.None);
            }

            Assert.Equal(3, outbox.Count);
            Assert.Equal(7, outbox.Dropped);
            Assert.True(outbox.TryPeek(out var head));
            Assert.Equal(8, head.Seq);
        }

        using var reopened = Open(maxBytes: (size * 3) + (size / 2));
        Assert.Equal(7, reopened.Dropped);
        Assert.Equal(3, reopened.Count);
    }

    [Fact]
    public async Task LastSequence_AllBatchesRemoved_SurvivesReopen()
    {
        using (var outbox = Open())
        {
            await outbox.AddAsync(Batch(41), CancellationToken.None);
            await outbox.AddAsync(Batch(42), CancellationToken.None);
            await outbox.RemoveAsync(41, CancellationToken.None);
            await outbox.RemoveAsync(42, CancellationToken.None);
        }

        using var reopened = Open();
        Assert.Equal(0, reopened.Count);
        Assert.Equal(42, reopened.LastSequence);
    }

    [Fact]
    public async Task TryPeek_UnreadableRow_IsDiscardedAndCountedAndTheNextOneComes()
    {
        using (var outbox = Open())
        {
            await outbox.AddAsync(Batch(1), CancellationToken.None);
            await outbox.AddAsync(Batch(2), CancellationToken.None);
        }

        using (var connection = new SqliteConnection($"Data Source={_folder.File("outbox.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE batches SET payload = x'00ff00ff' WHERE seq = 1;";
            command.ExecuteNonQuery();
        }

        using var reopened = Open();
        Assert.True(reopened.TryPeek(out var head));
        Assert.Equal(2, head.Seq);
        Assert.Equal(1, reopened.Corrupt);
        Assert.Equal(1, reopened.Dropped);
    }

    [Fact]
    public async Task WaitForBatchAsync_Empty_CompletesWhenABatchIsAdded()
    {
        using var outbox = Open();
        var waiting = outbox.WaitForBatchAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        await outbox.AddAsync(Batch(1), CancellationToken.None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
