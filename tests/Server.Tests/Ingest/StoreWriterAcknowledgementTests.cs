using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Server.Tests.Storage;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Tests.Ingest;

/// <summary>The store writer sets an item's <see cref="DurableSignal"/> only once its readings are committed.</summary>
public sealed class StoreWriterAcknowledgementTests : IAsyncDisposable
{
    private readonly TemporaryStore _temporary = new();

    public async ValueTask DisposeAsync() => await _temporary.DisposeAsync();

    private static AcceptedReadings Batch(long seq, DurableSignal signal, params Reading[] readings) =>
        new("agent-1", TemporaryStore.T0, seq, Historical: false, readings) { Durable = signal };

    [Fact]
    public async Task ProcessAsync_StoreBlocked_SignalWaitsForTheCommit()
    {
        var store = new GatedStore(_temporary.Store);
        using var writer = new StoreWriter(store, new IngestCounters(TimeProvider.System), Microsoft.Extensions.Options.Options.Create(_temporary.Options), TimeProvider.System, NullLogger<StoreWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var signal = new DurableSignal();

        await writer.ProcessAsync(Batch(1, signal, new Reading("cryo.ln2.level", TemporaryStore.T0, 80)), CancellationToken.None);
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(signal.IsDurable);

        store.Release();
        await signal.Written.WaitAsync(TimeSpan.FromSeconds(10));
        var latest = await _temporary.Store.LatestAsync(CancellationToken.None);
        Assert.Contains(latest, r => r.Channel == "cryo.ln2.level");
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ProcessAsync_BatchWithoutReadingsBehindAPendingOne_IsSignalledAfterIt()
    {
        var store = new GatedStore(_temporary.Store);
        using var writer = new StoreWriter(store, new IngestCounters(TimeProvider.System), Microsoft.Extensions.Options.Options.Create(_temporary.Options), TimeProvider.System, NullLogger<StoreWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var first = new DurableSignal();
        var empty = new DurableSignal();

        await writer.ProcessAsync(Batch(1, first, new Reading("cryo.ln2.level", TemporaryStore.T0, 80)), CancellationToken.None);
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.ProcessAsync(Batch(2, empty), CancellationToken.None);
        await Task.Delay(100);
        Assert.False(empty.IsDurable);

        store.Release();
        await empty.Written.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(first.IsDurable);
        await writer.StopAsync(CancellationToken.None);
    }

    /// <summary>The real store behind a gate, to hold a write in flight.</summary>
    private sealed class GatedStore(ITimeSeriesStore inner) : ITimeSeriesStore
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _release.TrySetResult();

        public async Task WriteAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
            await inner.WriteAsync(readings, cancellationToken);
        }

        public Task<HistoryResult> QueryAsync(string channel, DateTimeOffset from, DateTimeOffset to, int maxBuckets, CancellationToken cancellationToken) =>
            inner.QueryAsync(channel, from, to, maxBuckets, cancellationToken);

        public Task<IReadOnlyList<Reading>> LatestAsync(CancellationToken cancellationToken) => inner.LatestAsync(cancellationToken);

        public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
    }
}
