using System.Diagnostics;
using System.Threading.Channels;
using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Storage;

/// <summary>
/// The pipeline stage that stores readings. Accepted batches wait in a bounded queue and are
/// written together (up to <see cref="StorageOptions.MaxBatchSize"/> readings a transaction).
/// A failed write is retried with backoff, keeping its readings; meanwhile the queue fills and
/// the pipeline, then MQTT, slows down — nothing is dropped. Once a transaction committed, the
/// <see cref="DurableSignal"/> of every batch in it is set, in arrival order: that is when
/// ingest acknowledges the MQTT messages.
/// </summary>
public sealed class StoreWriter : BackgroundService, IIngestStage
{
    public const int QueueCapacity = 256;

    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    private readonly ITimeSeriesStore _store;
    private readonly IngestCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger<StoreWriter> _logger;
    private readonly int _maxBatch;

    public StoreWriter(ITimeSeriesStore store, IngestCounters counters, IOptions<StorageOptions> options, TimeProvider time, ILogger<StoreWriter> logger)
    {
        _store = store;
        _counters = counters;
        _time = time;
        _logger = logger;
        _maxBatch = options.Value.MaxBatchSize;
    }

    public string Name => "store-writer";

    public int QueueDepth => _queue.Reader.Count;

    public async ValueTask ProcessAsync(IngestItem item, CancellationToken cancellationToken)
    {
        if (item is not AcceptedReadings readings)
        {
            return;
        }

        if (readings.Readings.Count == 0)
        {
            // Nothing to store, but the signal must wait for the batches queued before it, so
            // acknowledgements leave in the order the messages came.
            if (readings.Durable is not null)
            {
                await _queue.Writer.WriteAsync(new PendingWrite([], readings.Durable), cancellationToken);
            }

            return;
        }

        await _queue.Writer.WriteAsync(new PendingWrite(readings.Readings, readings.Durable), cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let the loop drain what is queued before the host goes down.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Reading>(_maxBatch);
        var signals = new List<DurableSignal>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.AddRange(pending.Readings);
                    if (pending.Durable is not null)
                    {
                        signals.Add(pending.Durable);
                    }
                }

                if (batch.Count > 0)
                {
                    await WriteWithRetryAsync(batch, stoppingToken);
                }

                foreach (var signal in signals)
                {
                    signal.MarkDurable();
                }

                batch.Clear();
                signals.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Their messages stay unacknowledged, so the broker delivers them again next time.
            _logger.LogWarning("Store writer stopped with {Count} readings unwritten", batch.Count + _queue.Reader.Count);
        }
    }

    private async Task WriteWithRetryAsync(List<Reading> batch, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await _store.WriteAsync(batch, CancellationToken.None);
                _counters.StoreWritten(batch.Count, Stopwatch.GetElapsedTime(started));
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _counters.StoreFailed();
                _logger.LogError(exception, "Writing {Count} readings failed; retrying in {Delay}", batch.Count, delay);

                // Retries stop only when shutdown times out; readings are never dropped here.
                await Task.Delay(delay, _time, stoppingToken.IsCancellationRequested ? CancellationToken.None : stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>One accepted batch waiting for the writer, with the signal to set once it is committed.</summary>
    private sealed record PendingWrite(IReadOnlyList<Reading> Readings, DurableSignal? Durable);
}
