using Clovers.Monitor.Server.Alarms.States;

namespace Clovers.Monitor.Server.Alarms.Persistence;

/// <summary>
/// Drains <see cref="AlarmHistoryQueue"/> in batches: appends the transitions to
/// <c>alarm_history</c> and stores the current snapshot of every rule they touched in
/// <c>alarm_states</c>, one transaction per batch. At a stop it writes what is still queued.
/// </summary>
public sealed class AlarmHistoryWriter(
    AlarmHistoryQueue queue,
    AlarmStore store,
    AlarmEngine engine,
    ILogger<AlarmHistoryWriter> logger) : BackgroundService
{
    public const int MaxBatch = 1000;

    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);

    private readonly List<AlarmTransition> _pending = new(MaxBatch);
    private long _writeFailures;
    private long _written;

    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Transitions written to the history so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Stops the loop, then writes what is still queued, without the cancelled token.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { IsCompleted: false })
        {
            // The host gave up waiting for the loop: reading the queue now would race it.
            logger.LogError("Alarm history writer did not stop in time; {Count} queued transitions may be lost", queue.Depth + _pending.Count);
            return;
        }

        // The loop is over (it may never have started on a quick stop): this is the only reader now.
        Fill(_pending, int.MaxValue);
        while (_pending.Count > 0)
        {
            var chunk = _pending.Take(MaxBatch).ToList();
            _pending.RemoveRange(0, chunk.Count);
            await TryWriteAsync(chunk, CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Fill(_pending);
                if (!await TryWriteAsync(_pending, stoppingToken))
                {
                    // Kept for the next round: the state database may be busy or briefly unwritable.
                    await Task.Delay(s_retryDelay, stoppingToken);
                    continue;
                }

                _pending.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Fill(List<AlarmTransition> batch, int limit = MaxBatch)
    {
        while (batch.Count < limit && queue.Reader.TryRead(out var transition))
        {
            batch.Add(transition);
        }
    }

    private async Task<bool> TryWriteAsync(List<AlarmTransition> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            var touched = batch.Select(t => t.RuleId).ToHashSet(StringComparer.Ordinal);
            var snapshots = engine.Snapshot().Where(s => touched.Contains(s.RuleId)).ToList();
            await store.AppendAsync(batch, snapshots, cancellationToken);
            Interlocked.Add(ref _written, batch.Count);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Interlocked.Increment(ref _writeFailures);
            logger.LogError(exception, "Writing {Count} alarm transitions to the state database failed; they stay queued", batch.Count);
            return false;
        }
    }
}
