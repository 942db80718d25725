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
    IReadOnlyList<Reading> Readings) : IngestItem(AgentId, ReceivedAt);

/// <summary>A birth (online, with channels) or a will / clean goodbye (offline).</summary>
public sealed record AgentStatusChanged(
    string AgentId,
    DateTimeOffset ReceivedAt,
    AgentStatusMessage Status) : IngestItem(AgentId, ReceivedAt);
