using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Protocol;

/// <summary>How far a reading can be trusted, in the spirit of OPC UA status codes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Quality>))]
public enum Quality
{
    [JsonStringEnumMemberName("good")]
    Good,
    [JsonStringEnumMemberName("uncertain")]
    Uncertain,
    [JsonStringEnumMemberName("bad")]
    Bad,
}

/// <summary>Which subsystem a channel belongs to; the Overview has one tile per group.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChannelGroup>))]
public enum ChannelGroup
{
    [JsonStringEnumMemberName("cryogenics")]
    Cryogenics,
    [JsonStringEnumMemberName("pmt")]
    Pmt,
    [JsonStringEnumMemberName("beam")]
    Beam,
    [JsonStringEnumMemberName("veto")]
    Veto,
    [JsonStringEnumMemberName("daq")]
    Daq,
    [JsonStringEnumMemberName("agent")]
    Agent,
}

[JsonConverter(typeof(JsonStringEnumConverter<AgentLifecycle>))]
public enum AgentLifecycle
{
    [JsonStringEnumMemberName("online")]
    Online,
    [JsonStringEnumMemberName("offline")]
    Offline,
}

/// <summary>One measured value of one channel.</summary>
/// <param name="Channel">Dotted channel id, see <see cref="ProtocolRules.ChannelIdPattern"/>.</param>
/// <param name="Timestamp">When it was measured, UTC.</param>
/// <param name="Value">A finite number in the channel's unit.</param>
/// <param name="Quality">Trust in the value; <see cref="Quality.Good"/> when omitted.</param>
public sealed record Reading(
    string Channel,
    DateTimeOffset Timestamp,
    double Value,
    Quality Quality = Quality.Good);

/// <summary>
/// What an agent publishes on <c>clovers/v1/agents/{agentId}/readings</c>: readings of one
/// publishing cycle, numbered by a per-agent sequence that only grows, so that the server can
/// detect gaps and drop replays.
/// </summary>
public sealed record ReadingBatch(
    int Schema,
    string AgentId,
    long Seq,
    DateTimeOffset SentAt,
    IReadOnlyList<Reading> Readings)
{
    /// <summary>True when the batch is replayed from an agent's outbox after an outage.</summary>
    public bool Historical { get; init; }
}

/// <summary>Band limits of a channel; a null edge means "no limit on that side".</summary>
public sealed record Band(double? Low = null, double? High = null)
{
    public bool Contains(double value) => (Low is null || value >= Low) && (High is null || value <= High);
}

/// <summary>
/// A channel as the agent declares it in its birth message. The bands drive the Overview's
/// colours until configurable alarm rules take over.
/// </summary>
public sealed record ChannelDescriptor(
    string Id,
    string Unit,
    string Description,
    ChannelGroup Group,
    Band Nominal,
    double PeriodSeconds)
{
    /// <summary>Outside this band the channel shows as warning.</summary>
    public Band? Warn { get; init; }

    /// <summary>Outside this band the channel shows as alarm.</summary>
    public Band? Alarm { get; init; }
}

/// <summary>
/// What an agent publishes, retained, on <c>clovers/v1/agents/{agentId}/status</c>: its birth
/// message when it connects (state online, with its channels) and, as its MQTT last will, the
/// same topic with state offline.
/// </summary>
public sealed record AgentStatusMessage(
    int Schema,
    string AgentId,
    AgentLifecycle State,
    DateTimeOffset Timestamp)
{
    public string? Version { get; init; }

    public string? Host { get; init; }

    /// <summary>How often the agent publishes at the least; silence past a few periods means stale.</summary>
    public double HeartbeatSeconds { get; init; } = 5;

    /// <summary>True when the agent drives a simulated platform rather than hardware.</summary>
    public bool Simulated { get; init; }

    public IReadOnlyList<ChannelDescriptor> Channels { get; init; } = [];
}

/// <summary>
/// A request from the Server to an agent on <c>clovers/v1/agents/{agentId}/commands</c>.
/// Version 1 knows <see cref="AgentCommands.Rebirth"/>; control commands come in later revisions.
/// </summary>
public sealed record AgentCommand(int Schema, string Command, DateTimeOffset RequestedAt);

public static class AgentCommands
{
    /// <summary>
    /// "Publish your birth again": sent when readings arrive from an agent whose birth the
    /// Server has not seen (it started after the agent and the broker kept no retained birth,
    /// or the birth crossed the Server's subscription in flight).
    /// </summary>
    public const string Rebirth = "rebirth";
}
