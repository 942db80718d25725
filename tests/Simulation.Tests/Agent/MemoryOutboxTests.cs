using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Agent;

namespace Clovers.Monitor.Simulation.Tests.Agent;

public sealed class MemoryOutboxTests
{
    private static ReadingBatch Batch(long seq) =>
        new(ProtocolRules.SchemaVersion, "platform-1", seq, DateTimeOffset.UnixEpoch, [new Reading("test.value", DateTimeOffset.UnixEpoch, seq)]);

    [Fact]
    public async Task AddAsync_BeyondCapacity_DropsOldestAndCountsThem()
    {
        var outbox = new MemoryOutbox(3);

        for (var seq = 1; seq <= 5; seq++)
        {
            await outbox.AddAsync(Batch(seq), CancellationToken.None);
        }

        Assert.Equal(3, outbox.Count);
        Assert.Equal(2, outbox.Dropped);
        Assert.True(outbox.TryPeek(out var oldest));
        Assert.Equal(3, oldest.Seq);
    }

    [Fact]
    public async Task TryPeek_SeveralBatches_ReturnsOldestAndLeavesItInPlace()
    {
        var outbox = new MemoryOutbox(10);
        await outbox.AddAsync(Batch(1), CancellationToken.None);
        await outbox.AddAsync(Batch(2), CancellationToken.None);

        Assert.True(outbox.TryPeek(out var first));
        Assert.True(outbox.TryPeek(out var again));

        Assert.Equal(1, first.Seq);
        Assert.Same(first, again);
        Assert.Equal(2, outbox.Count);
    }

    [Fact]
    public void TryPeek_Empty_ReturnsFalse()
    {
        Assert.False(new MemoryOutbox(1).TryPeek(out _));
    }

    [Fact]
    public async Task RemoveAsync_AcknowledgedSeq_NextOldestComesUp()
    {
        var outbox = new MemoryOutbox(10);
        await outbox.AddAsync(Batch(1), CancellationToken.None);
        await outbox.AddAsync(Batch(2), CancellationToken.None);

        await outbox.RemoveAsync(1, CancellationToken.None);

        Assert.True(outbox.TryPeek(out var next));
        Assert.Equal(2, next.Seq);
        Assert.Equal(1, outbox.Count);
    }

    [Fact]
    public async Task RemoveAsync_SeqAlreadyDropped_ChangesNothing()
    {
        var outbox = new MemoryOutbox(1);
        await outbox.AddAsync(Batch(1), CancellationToken.None);
        await outbox.AddAsync(Batch(2), CancellationToken.None);

        await outbox.RemoveAsync(1, CancellationToken.None);

        Assert.Equal(1, outbox.Count);
    }

    [Fact]
    public async Task WaitForBatchAsync_Empty_CompletesWhenABatchArrives()
    {
        var outbox = new MemoryOutbox(10);

        var waiting = outbox.WaitForBatchAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        await outbox.AddAsync(Batch(1), CancellationToken.None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WaitForBatchAsync_NotEmpty_CompletesAtOnce()
    {
        var outbox = new MemoryOutbox(10);
        await outbox.AddAsync(Batch(1), CancellationToken.None);

        Assert.True(outbox.WaitForBatchAsync(CancellationToken.None).AsTask().IsCompleted);
    }

    [Fact]
    public async Task WaitForBatchAsync_Cancelled_Throws()
    {
        var outbox = new MemoryOutbox(10);
        using var cts = new CancellationTokenSource();

        var waiting = outbox.WaitForBatchAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void Constructor_ZeroCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryOutbox(0));
    }
}
