namespace Clovers.Monitor.Simulation.Agent;

/// <summary>
/// Configuration of an edge agent, bound from the <see cref="SectionName"/> section
/// (environment: <c>Agent__BrokerPort=1884</c>). A class, not a record, so that the password
/// never ends up in a generated <c>ToString</c>.
/// </summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>Lower-case id, <see cref="Shared.Protocol.ProtocolRules.SourceIdPattern"/>; part of every topic.</summary>
    public string AgentId { get; set; } = "platform-1";

    public string BrokerHost { get; set; } = "127.0.0.1";

    public int BrokerPort { get; set; } = 1883;

    public string? Username { get; set; }

    /// <summary>Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>How often the platform is read and a batch is queued.</summary>
    public double SampleIntervalSeconds { get; set; } = 1;

    /// <summary>Announced in the birth message: the agent publishes at least this often.</summary>
    public double HeartbeatSeconds { get; set; } = 5;

    public double ReconnectMinSeconds { get; set; } = 0.5;

    public double ReconnectMaxSeconds { get; set; } = 30;

    /// <summary>Batches kept by the in-memory outbox (the Server's demo agent): an hour at one batch per second.</summary>
    public int OutboxCapacity { get; set; } = 3600;

    /// <summary>
    /// The durable outbox file of this agent (SQLite); relative paths are taken from the working
    /// folder. Empty means <c>data/outbox-{AgentId}.db</c>.
    /// </summary>
    public string? OutboxPath { get; set; }

    /// <summary>
    /// Disk budget of the durable outbox in bytes; past it the oldest batches are dropped and
    /// counted. 0 means a week of this agent's nominal traffic (<see cref="OutboxBudget"/>).
    /// </summary>
    public long OutboxMaxBytes { get; set; }

    /// <summary>
    /// For fault drills only: shifts the agent's clock (sampling timestamps, sequence numbers)
    /// by this many seconds, to show how the Server treats an agent whose clock is wrong.
    /// </summary>
    public double ClockOffsetSeconds { get; set; }

    /// <summary>Announced in the birth message; the assembly version when empty.</summary>
    public string? Version { get; set; }

    /// <summary>True when the agent drives the simulated platform (the only driver so far).</summary>
    public bool Simulated { get; set; } = true;

    /// <summary>Channel ids to publish; empty publishes every channel of the driver.</summary>
    public List<string> Channels { get; set; } = [];
}
