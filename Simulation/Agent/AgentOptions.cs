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

    /// <summary>Batches kept while the broker is unreachable: an hour at one batch per second.</summary>
    public int OutboxCapacity { get; set; } = 3600;

    /// <summary>Announced in the birth message; the assembly version when empty.</summary>
    public string? Version { get; set; }

    /// <summary>True when the agent drives the simulated platform (the only driver so far).</summary>
    public bool Simulated { get; set; } = true;

    /// <summary>Channel ids to publish; empty publishes every channel of the driver.</summary>
    public List<string> Channels { get; set; } = [];
}
