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

    private long _writeFailures;
    private long _written;

    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Transitions written to the history so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AlarmTransition>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Fill(batch);
                if (!await TryWriteAsync(batch, stoppingToken))
                {
                    // Kept for the next round: the state database may be busy or briefly unwritable.
                    await Task.Delay(s_retryDelay, stoppingToken);
                    continue;
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The stop: what is queued now is written without the cancelled token, once.
        Fill(batch, int.MaxValue);
        while (batch.Count > 0)
        {
            var chunk = batch.Take(MaxBatch).ToList();
            batch.RemoveRange(0, chunk.Count);
            await TryWriteAsync(chunk, CancellationToken.None);
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
