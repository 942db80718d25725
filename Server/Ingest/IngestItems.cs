using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>A validated message on its way through the pipeline. Readers switch on the concrete type.</summary>
public abstract record IngestItem(string AgentId, DateTimeOffset ReceivedAt);

/// <summary>Readings that passed validation; rejected ones are already counted and gone.</summary>
public sealed record AcceptedReadings(
    string AgentId,
    DateTimeOffset ReceivedAt,
    long Seq,
    bool Historical,
    IReadOnlyList<Reading> Readings) : IngestItem(AgentId, ReceivedAt)
{
    /// <summary>
    /// Signalled by the store writer once these readings are committed; ingest acknowledges the
    /// MQTT message only then. Null for items that need no acknowledgement (tests, replays).
    /// </summary>
    public DurableSignal? Durable { get; init; }
}

/// <summary>
/// A one-shot "this is durable now" signal that travels with an item from ingest to the store
/// writer, so the store never needs to know about MQTT and ingest never about storage.
/// </summary>
public sealed class DurableSignal
{
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the item's readings are committed.</summary>
    public Task Written => _written.Task;

    public bool IsDurable => _written.Task.IsCompletedSuccessfully;

    public void MarkDurable() => _written.TrySetResult();
}

/// <summary>A birth (online, with channels) or a will / clean goodbye (offline).</summary>
public sealed record AgentStatusChanged(
    string AgentId,
    DateTimeOffset ReceivedAt,
    AgentStatusMessage Status) : IngestItem(AgentId, ReceivedAt);
