using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Control;

/// <summary>What became of a control command. <see cref="Unknown"/> is the Server's verdict when no reply came in time.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ControlOutcome>))]
public enum ControlOutcome
{
    /// <summary>Sent, no reply yet.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The agent set the value on the hardware.</summary>
    [JsonStringEnumMemberName("accepted")]
    Accepted,

    /// <summary>A limit (the Server's policy or the agent's hard limit) forbids it; nothing was sent to the hardware.</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,

    /// <summary>The agent tried and the hardware did not take it (an SCPI error, a lost connection).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>No reply within the timeout: the command may or may not have been carried out.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,
}

/// <summary>Command names of control requests on <c>clovers/v1/agents/{agentId}/commands</c>.</summary>
public static class ControlCommands
{
    /// <summary>Set the high voltage of one PMT.</summary>
    public const string SetHv = "set-hv";
}

/// <summary>
/// A control request from the Server to an agent, sent as an MQTT 5 request: the message carries
/// a response topic (<c>clovers/v1/agents/{agentId}/replies</c>) and correlation data, and the
/// agent answers there with a <see cref="ControlReply"/>. Its first three fields are those of a
/// <see cref="Protocol.AgentCommand"/>, so an agent that knows no control simply ignores it.
/// </summary>
/// <param name="CommandId">Chosen by the client; a repeat with the same id is answered with the first result and not carried out again.</param>
/// <param name="Pmt">PMT name, <c>sd1a</c> … <c>sd4b</c>.</param>
/// <param name="Volts">The new setpoint.</param>
/// <param name="RampVoltsPerSecond">How fast the supply moves to it.</param>
public sealed record ControlRequest(
    int Schema,
    string Command,
    DateTimeOffset RequestedAt,
    string CommandId,
    string Pmt,
    double Volts,
    double RampVoltsPerSecond)
{
    /// <summary>Who asked, for the agent's log.</summary>
    public string? User { get; init; }
}

/// <summary>An agent's answer to a <see cref="ControlRequest"/>, published to the request's response topic with its correlation data.</summary>
/// <param name="Outcome">Accepted, refused or failed; never pending or unknown.</param>
/// <param name="Reason">Why it was refused or failed; null when accepted.</param>
/// <param name="PreviousVolts">The setpoint before the command, as the supply reported it; null when it could not be read.</param>
/// <param name="Repeated">True when the command id was seen before and this is the first result again.</param>
public sealed record ControlReply(
    int Schema,
    string CommandId,
    ControlOutcome Outcome,
    string? Reason,
    double? PreviousVolts,
    double Volts,
    DateTimeOffset At)
{
    public bool Repeated { get; init; }
}

/// <summary>Body of <c>POST /api/control/hv</c>.</summary>
/// <param name="CommandId">A fresh id per intended change (a GUID); repeating it after an error is safe.</param>
public sealed record HvCommandRequest(string AgentId, string Pmt, double Volts, string CommandId);

/// <summary>One commanded change as <c>GET /api/control/commands</c> and <c>POST /api/control/hv</c> answer it.</summary>
public sealed record ControlCommandView(
    string CommandId,
    string AgentId,
    string Pmt,
    double? OldVolts,
    double NewVolts,
    ControlOutcome Outcome,
    string? Reason,
    string User,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt);

/// <summary>The Server's HV policy as the PMT page shows it before a change is armed.</summary>
public sealed record HvPolicyView(double MaxVolts, double MaxStepVolts, double RampVoltsPerSecond, double ReplyTimeoutSeconds);

/// <summary>Routes of the control API, shared by the Server and the Client.</summary>
public static class ControlRoutes
{
    public const string Hv = "/api/control/hv";
    public const string HvPolicy = "/api/control/hv/policy";
    public const string Commands = "/api/control/commands";

    /// <summary>Demo only: every line the simulated HV supply received over SCPI, oldest first.</summary>
    public const string SimulatedSupplyLog = "/api/simulation/hv-supply/log";
}
