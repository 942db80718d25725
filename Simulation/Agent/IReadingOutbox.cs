using System.Diagnostics.CodeAnalysis;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>
/// Store-and-forward between the sampler and the publisher: batches wait here until the broker
/// acknowledged them. Bounded; a durable implementation can replace the in-memory one.
/// </summary>
public interface IReadingOutbox
{
    /// <summary>Batches waiting to be published.</summary>
    int Count { get; }

    /// <summary>Batches thrown away because the outbox was full (the oldest go first).</summary>
    long Dropped { get; }

    /// <summary>
    /// The highest sequence number ever added (0 when none). A durable outbox keeps it across
    /// restarts even once the batch is gone, so the agent's numbering never goes back.
    /// </summary>
    long LastSequence { get; }

    /// <summary>Appends a batch; when full, drops the oldest batch and counts it.</summary>
    ValueTask AddAsync(ReadingBatch batch, CancellationToken ct);

    /// <summary>The oldest waiting batch, left in place.</summary>
    bool TryPeek([MaybeNullWhen(false)] out ReadingBatch batch);

    /// <summary>Completes as soon as at least one batch is waiting.</summary>
    ValueTask WaitForBatchAsync(CancellationToken ct);

    /// <summary>Removes the batch with this sequence number (once the broker acknowledged it); absent is fine.</summary>
    ValueTask RemoveAsync(long seq, CancellationToken ct);
}
