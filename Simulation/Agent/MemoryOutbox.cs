using System.Diagnostics.CodeAnalysis;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>An in-memory, bounded <see cref="IReadingOutbox"/>; survives broker outages, not restarts.</summary>
public sealed class MemoryOutbox : IReadingOutbox
{
    private readonly Lock _gate = new();
    private readonly LinkedList<ReadingBatch> _batches = new();
    private readonly int _capacity;
    private TaskCompletionSource? _available;
    private long _dropped;
    private long _lastSequence;

    public MemoryOutbox(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Capacity => _capacity;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _batches.Count;
            }
        }
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long LastSequence => Interlocked.Read(ref _lastSequence);

    public ValueTask AddAsync(ReadingBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ct.ThrowIfCancellationRequested();
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            _batches.AddLast(batch);
            if (batch.Seq > _lastSequence)
            {
                Interlocked.Exchange(ref _lastSequence, batch.Seq);
            }

            while (_batches.Count > _capacity)
            {
                _batches.RemoveFirst();
                Interlocked.Increment(ref _dropped);
            }

            waiting = _available;
            _available = null;
        }

        waiting?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public bool TryPeek([MaybeNullWhen(false)] out ReadingBatch batch)
    {
        lock (_gate)
        {
            if (_batches.First is { } first)
            {
                batch = first.Value;
                return true;
            }
        }

        batch = null;
        return false;
    }

    public ValueTask WaitForBatchAsync(CancellationToken ct)
    {
        Task waiting;
        lock (_gate)
        {
            if (_batches.Count > 0)
            {
                return ValueTask.CompletedTask;
            }

            _available ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = _available.Task;
        }

        return new ValueTask(waiting.WaitAsync(ct));
    }

    public ValueTask RemoveAsync(long seq, CancellationToken ct)
    {
        lock (_gate)
        {
            for (var node = _batches.First; node is not null; node = node.Next)
            {
                if (node.Value.Seq == seq)
                {
                    _batches.Remove(node);
                    break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
